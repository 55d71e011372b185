/**
 * Label sets and label matchers with Prometheus' semantics: a missing label reads as the empty string, regular
 * expressions are anchored RE2 (translated to JavaScript), label sets order the way Prometheus sorts series.
 */
import { MetricsSourceError } from '../metrics-source'

/** A label set. Never mutated once made: keys and derived label sets are memoised per object. */
export type Labels = Readonly<Record<string, string>>

export const METRIC_NAME = '__name__'

const SEPARATOR = '\u0000'

const keys = new WeakMap<Labels, string>()

/** A string identifying a label set (same labels, same key), whatever order the keys were added in. */
export function labelsKey(labels: Labels): string {
  let key = keys.get(labels)
  if (key === undefined) {
    key = Object.keys(labels)
      .sort()
      .map((name) => `${name}${SEPARATOR}${labels[name]}`)
      .join(SEPARATOR + SEPARATOR)
    keys.set(labels, key)
  }
  return key
}

const derived = new WeakMap<Labels, Map<string, Labels>>()
const MAX_DERIVED_PER_LABELS = 200

/**
 * The label set `make` derives from labels, made once per (labels, how) and reused, so that a series keeps the same
 * derived object from one evaluation step to the next and its key is computed once.
 */
export function deriveLabels(labels: Labels, how: string, make: (labels: Labels) => Labels): Labels {
  let byHow = derived.get(labels)
  if (!byHow) derived.set(labels, (byHow = new Map()))
  let out = byHow.get(how)
  if (!out) {
    if (byHow.size >= MAX_DERIVED_PER_LABELS) byHow.clear() // many different queries over a long demo: start over
    byHow.set(how, (out = make(labels)))
  }
  return out
}

/** The key of the listed labels only (missing ones count as empty), or of all labels but the listed ones and the name. */
export function signature(labels: Labels, on: boolean, names: readonly string[]): string {
  if (on) return names.map((name) => labels[name] ?? '').join(SEPARATOR)
  const rest: Record<string, string> = {}
  for (const [name, value] of Object.entries(labels)) if (name !== METRIC_NAME && !names.includes(name)) rest[name] = value
  return labelsKey(rest)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Prometheus' order of label sets: label by label (sorted by name), name then value, the shorter set first. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort()
  const bn = Object.keys(b).sort()
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    const byName = compareStrings(an[i], bn[i])
    if (byName !== 0) return byName
    const byValue = compareStrings(a[an[i]], b[bn[i]])
    if (byValue !== 0) return byValue
  }
  return an.length - bn.length
}

export function dropMetricName(labels: Labels): Labels {
  if (!(METRIC_NAME in labels)) return labels
  return deriveLabels(labels, 'drop-name', ({ [METRIC_NAME]: _name, ...rest }) => rest)
}

/** `{a="b", c="d"}`, as Prometheus prints a label set in its error messages. */
export function formatLabels(labels: Labels): string {
  const names = Object.keys(labels).sort()
  return `{${names.map((name) => `${name}=${JSON.stringify(labels[name])}`).join(', ')}}`
}

export type MatchOp = '=' | '!=' | '=~' | '!~'

export interface LabelMatcher {
  name: string
  op: MatchOp
  value: string
  /** the anchored regular expression of =~ and !~ */
  regex?: RegExp
}

export function labelMatcher(name: string, op: MatchOp, value: string): LabelMatcher {
  return op === '=~' || op === '!~' ? { name, op, value, regex: anchoredRegex(value) } : { name, op, value }
}

export function matches(matcher: LabelMatcher, value: string | undefined): boolean {
  const v = value ?? ''
  switch (matcher.op) {
    case '=':
      return v === matcher.value
    case '!=':
      return v !== matcher.value
    case '=~':
      return matcher.regex!.test(v)
    case '!~':
      return !matcher.regex!.test(v)
  }
}

export function matchesAll(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels[m.name]))
}

export function matchersKey(matchers: readonly LabelMatcher[]): string {
  return matchers
    .map((m) => `${m.name}${m.op}${m.value}`)
    .sort()
    .join(SEPARATOR)
}

/** The metric name an `__name__="..."` matcher pins, to look series up by name. */
export function metricNameOf(matchers: readonly LabelMatcher[]): string | undefined {
  return matchers.find((m) => m.name === METRIC_NAME && m.op === '=')?.value
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
}

/**
 * RE2 (Go) syntax as a JavaScript RegExp, anchored at both ends as Prometheus anchors matchers and label_replace.
 * Covers what label matchers use: a leading (?i) or (?s), (?P<name>...), POSIX classes, \A and \z. Unicode classes
 * (\pL) and other flags are refused with a query error rather than silently matching something else.
 */
export function anchoredRegex(source: string): RegExp {
  let flags = ''
  let body = source
  const leadingFlags = body.match(/^\(\?([is]+)\)/)
  if (leadingFlags) {
    flags = [...new Set(leadingFlags[1])].join('')
    body = body.slice(leadingFlags[0].length)
  }
  if (/\\[pPQ]/.test(body) || /\(\?[a-zA-Z]+[):]/.test(body) || body.includes('[:^')) {
    throw new MetricsSourceError(`The demo data cannot evaluate the regular expression “${source}” (Unicode classes, inline flags or negated POSIX classes); connect a Prometheus (PROMETHEUS_URL) for this query`, 'query')
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:([a-z]+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? whole)
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
  try {
    return new RegExp(`^(?:${body})$`, flags)
  } catch {
    throw new MetricsSourceError(`invalid regular expression “${source}”`, 'query')
  }
}

/**
 * A float as Go's strconv.ParseFloat reads it (what Prometheus uses for `le` labels): "+Inf", "inf", "NaN", "1e3",
 * "0x1p-2". NaN when it does not parse (Prometheus then skips the bucket).
 */
export function parseGoFloat(text: string): number {
  const t = text.trim()
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/i.test(t)) return NaN
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t)
  const hex = t.match(/^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i)
  if (hex) {
    const mantissa = parseInt(hex[2] || '0', 16) + (hex[3] ? parseInt(hex[3], 16) / 16 ** hex[3].length : 0)
    return (hex[1] === '-' ? -1 : 1) * mantissa * 2 ** Number(hex[4])
  }
  return NaN
}
