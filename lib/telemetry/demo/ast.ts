/**
 * PromQL text -> a small typed syntax tree, through Prometheus' own lezer grammar (the one its web UI uses).
 *
 * The lezer tree is close to what Prometheus' Go parser builds, with one difference this module corrects: lezer binds
 * the postfix modifiers (`offset`, `[range]`, `[range:step]`, `@`) loosest, so `a / b offset 5m` comes out as
 * `(a / b) offset 5m`, while Prometheus binds them tightest: `a / (b offset 5m)`. Postfix chains are therefore pushed
 * down to the right-most operand of binary and unary expressions, as the Go grammar does.
 *
 * The checks Prometheus' parser makes (argument types and counts, `bool` only on comparisons, set operators only
 * between vectors...) are made here too, so a wrong query is reported before anything is evaluated.
 */
import type { SyntaxNode } from '@lezer/common'
import { parser } from '@prometheus-io/lezer-promql'
import { MetricsSourceError } from '../metrics-source'
import { FUNCTIONS, type ValueType } from './functions'
import { labelMatcher, METRIC_NAME, type LabelMatcher, type MatchOp } from './labels'

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless'
export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'quantile'

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many'
  /** true for on(...), false for ignoring(...) or no modifier */
  on: boolean
  labels: string[]
  /** the labels of group_left(...) / group_right(...) */
  include: string[]
}

export interface VectorSelectorExpr {
  type: 'vectorSelector'
  matchers: LabelMatcher[]
  offsetMs: number
  text: string
}

export type Expr =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | VectorSelectorExpr
  | { type: 'matrixSelector'; selector: VectorSelectorExpr; rangeMs: number }
  | { type: 'subquery'; expr: Expr; rangeMs: number; stepMs?: number; offsetMs: number }
  | { type: 'call'; func: string; args: Expr[] }
  | { type: 'aggregate'; op: AggregateOp; param?: Expr; expr: Expr; grouping: string[]; without: boolean }
  | { type: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr; returnBool: boolean; matching?: VectorMatching }
  | { type: 'unary'; op: '-' | '+'; expr: Expr }
  | { type: 'paren'; expr: Expr }

const COMPARISONS: BinaryOp[] = ['==', '!=', '>', '<', '>=', '<=']
const SET_OPERATORS: BinaryOp[] = ['and', 'or', 'unless']

export function isComparison(op: BinaryOp): boolean {
  return COMPARISONS.includes(op)
}

export function isSetOperator(op: BinaryOp): boolean {
  return SET_OPERATORS.includes(op)
}

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Atan2: 'atan2',
  Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless',
}
const AGGREGATE_OPS: AggregateOp[] = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile']
const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' }
const POSTFIX = new Set(['OffsetExpr', 'MatrixSelector', 'SubqueryExpr', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr'])

export function unsupported(what: string): MetricsSourceError {
  return new MetricsSourceError(`The demo data cannot evaluate ${what}; connect a Prometheus (PROMETHEUS_URL) for this query`, 'query')
}

function queryError(message: string): MetricsSourceError {
  return new MetricsSourceError(message, 'query')
}

/** Parses a query into the syntax tree, or throws a MetricsSourceError of kind 'query' saying where and what. */
export function parsePromql(query: string): Expr {
  const text = query.trim()
  if (!text) throw queryError('the query is empty')
  const tree = parser.parse(text)
  let errorAt = -1
  tree.iterate({
    enter(node) {
      if (errorAt === -1 && node.type.isError) errorAt = node.from
    },
  })
  if (errorAt !== -1) throw syntaxError(text, errorAt)
  const top = tree.topNode.firstChild
  if (!top) throw queryError('the query is empty')
  const expr = new Converter(text).expr(top)
  typeOf(expr) // type-checks the whole tree
  return expr
}

function syntaxError(text: string, at: number): MetricsSourceError {
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - before.lastIndexOf('\n')
  const near = text.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, ' ')
  const what = at >= text.length ? 'unexpected end of the query' : `unexpected “${text.slice(at, at + 1)}”`
  return queryError(`PromQL syntax error at line ${line}, column ${column}: ${what}, near “${near}”`)
}

/** Go-style string literals: "double" and 'single' quoted with escapes, `raw` in backticks. */
export function unquote(literal: string): string {
  const quote = literal[0]
  const body = literal.slice(1, -1)
  if (quote === '`') return body
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'a': return '\u0007'
      case 'b': return '\b'
      case 'f': return '\f'
      case 'n': return '\n'
      case 'r': return '\r'
      case 't': return '\t'
      case 'v': return '\v'
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16))
      default:
        return /^[0-7]{3}$/.test(esc) ? String.fromCodePoint(parseInt(esc, 8)) : esc
    }
  })
}

const DURATION_UNITS: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

/** `1h30m` -> milliseconds; a plain number is seconds (as Prometheus 3 reads it). */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const parts = [...text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw queryError(`not a valid duration: “${text}”`)
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit], 0)
}

/** A number literal as Prometheus reads it: decimal, hex, octal with a leading 0, Inf, NaN, or a duration in seconds. */
export function parseNumber(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1
  const t = text.replace(/^[+-]/, '').replace(/_/g, '')
  if (/^inf$/i.test(t)) return sign * Infinity
  if (/^nan$/i.test(t)) return NaN
  if (/^0x[0-9a-f]+$/i.test(t)) return sign * parseInt(t.slice(2), 16)
  if (/^0[0-7]+$/.test(t)) return sign * parseInt(t.slice(1), 8)
  if (/[a-z]$/i.test(t) && !/e/i.test(t.slice(-1))) return (sign * parseDuration(t)) / 1000
  const n = Number(t)
  if (Number.isNaN(n)) throw queryError(`not a valid number: “${text}”`)
  return sign * n
}

/** A postfix modifier waiting to be applied to the operand it binds to. */
type Postfix = SyntaxNode

class Converter {
  constructor(private readonly text: string) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to)
  }

  private children(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = []
    for (let child = node.firstChild; child; child = child.nextSibling) out.push(child)
    return out
  }

  private exprChildren(node: SyntaxNode): SyntaxNode[] {
    return this.children(node).filter((c) => c.type.is('Expr'))
  }

  expr(node: SyntaxNode): Expr {
    if (POSTFIX.has(node.name)) return this.withPostfix(node, [])
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { type: 'number', value: parseNumber(this.src(node)) }
      case 'StringLiteral':
        return { type: 'string', value: unquote(this.src(node)) }
      case 'VectorSelector':
        return this.vectorSelector(node)
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(this.exprChildren(node)[0]) }
      case 'UnaryExpr':
        return this.unary(node, [])
      case 'BinaryExpr':
        return this.binary(node, [])
      case 'FunctionCall':
        return this.call(node)
      case 'AggregateExpr':
        return this.aggregate(node)
      default:
        throw unsupported(`“${this.src(node)}” (${node.name})`)
    }
  }

  /**
   * `x offset 5m`, `x[5m]`, `x[1h:5m]`, `x @ t`: collects the chain of postfix modifiers (innermost first) and applies
   * it to the operand Prometheus binds it to: the right-most operand of a binary or unary expression.
   */
  private withPostfix(node: SyntaxNode, chain: Postfix[]): Expr {
    if (POSTFIX.has(node.name)) return this.withPostfix(this.exprChildren(node)[0], [node, ...chain])
    if (chain.length === 0) return this.expr(node)
    if (node.name === 'BinaryExpr') return this.binary(node, chain)
    if (node.name === 'UnaryExpr') return this.unary(node, chain)
    let expr = this.expr(node)
    for (const postfix of chain) expr = this.applyPostfix(expr, postfix)
    return expr
  }

  private applyPostfix(expr: Expr, postfix: Postfix): Expr {
    switch (postfix.name) {
      case 'MatrixSelector': {
        if (expr.type !== 'vectorSelector') throw queryError(`ranges only allowed for vector selectors, in “${this.src(postfix)}”`)
        if (expr.offsetMs !== 0) throw queryError(`no offset modifiers allowed before range, in “${this.src(postfix)}”`)
        const [duration] = this.children(postfix).filter((c) => c.name === 'DurationExpr')
        return { type: 'matrixSelector', selector: expr, rangeMs: this.duration(duration) }
      }
      case 'SubqueryExpr': {
        const durations = this.children(postfix).filter((c) => c.name === 'DurationExpr')
        const subquery: Expr = { type: 'subquery', expr, rangeMs: this.duration(durations[0]), offsetMs: 0 }
        if (durations[1]) subquery.stepMs = this.duration(durations[1])
        if (subquery.stepMs === 0) throw queryError('the step of a subquery must be positive')
        return subquery
      }
      case 'OffsetExpr':
        return this.offset(expr, postfix)
      case 'StepInvariantExpr':
        throw unsupported('the @ modifier')
      default:
        throw unsupported(`the “${this.src(postfix)}” modifier`)
    }
  }

  private offset(expr: Expr, postfix: Postfix): Expr {
    const durationNode = this.children(postfix).find((c) => c.name === 'OffsetDurationExpr')!
    const offsetMs = this.offsetDuration(durationNode)
    const target = expr.type === 'matrixSelector' ? expr.selector : expr
    if (target.type !== 'vectorSelector' && target.type !== 'subquery') {
      throw queryError(`offset modifier must be preceded by an instant vector selector or range vector selector or a subquery, in “${this.src(postfix)}”`)
    }
    if (target.offsetMs !== 0) throw queryError(`offset may not be set multiple times, in “${this.src(postfix)}”`)
    target.offsetMs = offsetMs
    return expr
  }

  private offsetDuration(node: SyntaxNode): number {
    const [first, ...rest] = this.children(node)
    if (first.name === 'UnaryOp') return (this.src(first) === '-' ? -1 : 1) * this.offsetDuration(rest[0])
    return this.durationPrimary(node)
  }

  private duration(node: SyntaxNode): number {
    const children = this.children(node)
    if (children.length !== 1) throw unsupported(`the duration expression “${this.src(node)}”`)
    return this.durationPrimary(node)
  }

  private durationPrimary(node: SyntaxNode): number {
    const literal = this.children(node).find((c) => c.name === 'NumberDurationLiteralInDurationContext')
    if (!literal || this.children(node).length !== 1) throw unsupported(`the duration expression “${this.src(node)}”`)
    return parseDuration(this.src(literal))
  }

  private vectorSelector(node: SyntaxNode): VectorSelectorExpr {
    const matchers: LabelMatcher[] = []
    for (const child of this.children(node)) {
      if (child.name === 'Identifier') matchers.push(labelMatcher(METRIC_NAME, '=', this.src(child)))
      if (child.name === 'LabelMatchers') {
        for (const m of this.children(child)) {
          if (m.name === 'QuotedLabelName') {
            matchers.push(labelMatcher(METRIC_NAME, '=', unquote(this.src(m))))
            continue
          }
          const parts = this.children(m)
          const nameNode = parts[0]
          const name = nameNode.name === 'QuotedLabelName' ? unquote(this.src(nameNode)) : this.src(nameNode)
          const op = MATCH_OPS[this.children(parts[1])[0].name]
          matchers.push(labelMatcher(name, op, unquote(this.src(parts[2]))))
        }
      }
    }
    const names = matchers.filter((m) => m.name === METRIC_NAME && m.op === '=')
    if (names.length > 1) throw queryError(`metric name must not be set twice in “${this.src(node)}”`)
    if (!matchers.some((m) => !matchesEmpty(m))) throw queryError(`vector selector must contain at least one non-empty matcher: “${this.src(node)}”`)
    return { type: 'vectorSelector', matchers, offsetMs: 0, text: this.src(node) }
  }

  private unary(node: SyntaxNode, chain: Postfix[]): Expr {
    const [opNode] = this.children(node)
    const operand = this.exprChildren(node)[0]
    return { type: 'unary', op: this.src(opNode) === '-' ? '-' : '+', expr: this.withPostfix(operand, chain) }
  }

  private binary(node: SyntaxNode, chain: Postfix[]): Expr {
    const children = this.children(node)
    const [lhsNode, rhsNode] = this.exprChildren(node)
    const opNode = children.find((c) => c.name in BINARY_OPS)
    if (!opNode) throw unsupported(`the operator in “${this.src(node)}”`)
    const op = BINARY_OPS[opNode.name]
    if (children.some((c) => c.name === 'FillModifier')) throw unsupported('fill() modifiers')
    const returnBool = children.some((c) => c.name === 'BoolModifier')
    const modifier = children.find((c) => c.name === 'MatchingModifierClause')
    const lhs = this.expr(lhsNode)
    const rhs = this.withPostfix(rhsNode, chain)
    const expr: Expr = { type: 'binary', op, lhs, rhs, returnBool }
    const bothVectors = typeOf(lhs) === 'vector' && typeOf(rhs) === 'vector'
    if (bothVectors) expr.matching = this.matching(modifier, op)
    else if (modifier) throw queryError(`vector matching only allowed between instant vectors, in “${this.src(node)}”`)
    return this.signedBase(expr, lhsNode)
  }

  /**
   * lezer reads `-2 ^ 2` as (-2) ^ 2; in Prometheus the sign is a unary minus, which binds looser than ^: -(2 ^ 2).
   */
  private signedBase(expr: Extract<Expr, { type: 'binary' }>, lhsNode: SyntaxNode): Expr {
    const sign = this.src(lhsNode)[0]
    if (expr.op !== '^' || lhsNode.name !== 'NumberDurationLiteral' || (sign !== '-' && sign !== '+')) return expr
    const base: Expr = { type: 'number', value: parseNumber(this.src(lhsNode).slice(1)) }
    return { type: 'unary', op: sign, expr: { ...expr, lhs: base } }
  }

  private matching(node: SyntaxNode | undefined, op: BinaryOp): VectorMatching {
    const matching: VectorMatching = { card: isSetOperator(op) ? 'many-to-many' : 'one-to-one', on: false, labels: [], include: [] }
    if (!node) return matching
    const children = this.children(node)
    const groupings = children.filter((c) => c.name === 'GroupingLabels')
    matching.on = children.some((c) => c.name === 'On')
    matching.labels = this.groupingLabels(groupings[0])
    const group = children.find((c) => c.name === 'GroupLeft' || c.name === 'GroupRight')
    if (group) {
      if (isSetOperator(op)) throw queryError(`no grouping allowed for "${op}" operation`)
      matching.card = group.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many'
      matching.include = groupings[1] ? this.groupingLabels(groupings[1]) : []
      if (matching.on) {
        const both = matching.include.find((l) => matching.labels.includes(l))
        if (both) throw queryError(`label "${both}" must not occur in ON and GROUP clause at once`)
      }
    }
    return matching
  }

  private groupingLabels(node: SyntaxNode): string[] {
    return this.children(node).map((c) => (c.name === 'QuotedLabelName' ? unquote(this.src(c)) : this.src(c)))
  }

  private call(node: SyntaxNode): Expr {
    const [identifier, body] = this.children(node)
    const func = this.src(identifier)
    if (!(func in FUNCTIONS)) throw unsupported(`the function ${func}()`)
    return { type: 'call', func, args: this.exprChildren(body).map((a) => this.expr(a)) }
  }

  private aggregate(node: SyntaxNode): Expr {
    const children = this.children(node)
    const op = this.src(children[0]).toLowerCase() as AggregateOp
    if (!AGGREGATE_OPS.includes(op)) throw unsupported(`the aggregation ${op}()`)
    const modifier = children.find((c) => c.name === 'AggregateModifier')
    const body = children.find((c) => c.name === 'FunctionCallBody')!
    const args = this.exprChildren(body).map((a) => this.expr(a))
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile'
    const expected = takesParam ? 2 : 1
    if (args.length !== expected) throw queryError(`wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}`)
    const grouping = modifier ? this.groupingLabels(this.children(modifier)[1]) : []
    const without = modifier ? this.children(modifier)[0].name === 'Without' : false
    return takesParam ? { type: 'aggregate', op, param: args[0], expr: args[1], grouping, without } : { type: 'aggregate', op, expr: args[0], grouping, without }
  }
}

function matchesEmpty(m: LabelMatcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === ''
    case '!=':
      return m.value !== ''
    case '=~':
      return m.regex!.test('')
    case '!~':
      return !m.regex!.test('')
  }
}

const TYPE_NAMES: Record<ValueType, string> = { scalar: 'scalar', vector: 'instant vector', matrix: 'range vector', string: 'string' }

/** The type of an expression, checking its operands as Prometheus' parser does. */
export function typeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case 'number':
      return 'scalar'
    case 'string':
      return 'string'
    case 'vectorSelector':
      return 'vector'
    case 'matrixSelector':
      return 'matrix'
    case 'subquery':
      if (typeOf(expr.expr) !== 'vector') throw queryError(`subquery is only allowed on instant vector, got ${TYPE_NAMES[typeOf(expr.expr)]}`)
      return 'matrix'
    case 'paren':
      return typeOf(expr.expr)
    case 'unary': {
      const t = typeOf(expr.expr)
      if (t !== 'scalar' && t !== 'vector') throw queryError(`unary expression only allowed on expressions of type scalar or instant vector, got ${TYPE_NAMES[t]}`)
      return t
    }
    case 'call':
      return checkCall(expr.func, expr.args)
    case 'aggregate': {
      if (typeOf(expr.expr) !== 'vector') throw queryError(`expected type instant vector in aggregation expression, got ${TYPE_NAMES[typeOf(expr.expr)]}`)
      if (expr.param && typeOf(expr.param) !== 'scalar') throw queryError(`expected type scalar in aggregation parameter, got ${TYPE_NAMES[typeOf(expr.param)]}`)
      return 'vector'
    }
    case 'binary':
      return checkBinary(expr)
  }
}

function checkBinary(expr: Extract<Expr, { type: 'binary' }>): ValueType {
  const lt = typeOf(expr.lhs)
  const rt = typeOf(expr.rhs)
  for (const t of [lt, rt]) if (t !== 'scalar' && t !== 'vector') throw queryError('binary expression must contain only scalar and instant vector types')
  if (expr.returnBool && !isComparison(expr.op)) throw queryError('bool modifier can only be used on comparison operators')
  if (isSetOperator(expr.op) && (lt === 'scalar' || rt === 'scalar')) throw queryError(`set operator "${expr.op}" not allowed in binary scalar expression`)
  if (lt === 'scalar' && rt === 'scalar') {
    if (isComparison(expr.op) && !expr.returnBool) throw queryError('comparisons between scalars must use BOOL modifier')
    return 'scalar'
  }
  return 'vector'
}

function checkCall(func: string, args: Expr[]): ValueType {
  const def = FUNCTIONS[func]
  const min = def.args.length - (def.optional ?? 0)
  if (args.length < min || (!def.variadic && args.length > def.args.length)) {
    const expected = def.optional ? `${min} to ${def.args.length}` : String(def.args.length)
    throw queryError(`expected ${expected} argument(s) in call to "${func}", got ${args.length}`)
  }
  args.forEach((arg, i) => {
    const expected = def.args[Math.min(i, def.args.length - 1)]
    const actual = typeOf(arg)
    if (actual !== expected) throw queryError(`expected type ${TYPE_NAMES[expected]} in call to function "${func}", got ${TYPE_NAMES[actual]}`)
  })
  return def.returns
}
