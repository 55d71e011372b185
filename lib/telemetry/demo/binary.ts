/**
 * Binary operators after Prometheus 2.42: arithmetic and comparisons between scalars and vectors, one-to-one and
 * many-to-one / one-to-many vector matching (on, ignoring, group_left, group_right), and the set operators. Errors
 * (many-to-many matching, duplicate matches) carry Prometheus' wording.
 */
import { MetricsSourceError } from '../metrics-source'
import { isComparison, isSetOperator, type BinaryOp, type VectorMatching } from './ast'
import { METRIC_NAME, deriveLabels, dropMetricName, formatLabels, labelsKey, signature, type Labels } from './labels'
import type { Sample, Value } from './values'

/** Go's math.Pow, which differs from Math.pow on a few special cases. */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1
  if (x === -1 && Math.abs(y) === Infinity) return 1
  return Math.pow(x, y)
}

/** The value of `l op r`, and whether a comparison keeps the element. */
function elementOp(op: BinaryOp, l: number, r: number): { value: number; keep: boolean } {
  switch (op) {
    case '+': return { value: l + r, keep: true }
    case '-': return { value: l - r, keep: true }
    case '*': return { value: l * r, keep: true }
    case '/': return { value: l / r, keep: true }
    case '%': return { value: l % r, keep: true }
    case '^': return { value: goPow(l, r), keep: true }
    case 'atan2': return { value: Math.atan2(l, r), keep: true }
    case '==': return { value: l, keep: l === r }
    case '!=': return { value: l, keep: l !== r }
    case '>': return { value: l, keep: l > r }
    case '<': return { value: l, keep: l < r }
    case '>=': return { value: l, keep: l >= r }
    case '<=': return { value: l, keep: l <= r }
    default:
      throw new Error(`not an arithmetic or comparison operator: ${op}`)
  }
}

/** Arithmetic drops the metric name; comparisons keep it (unless bool); atan2 keeps it in Prometheus 2. */
function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^'
}

function scalarOp(op: BinaryOp, l: number, r: number): number {
  const { value, keep } = elementOp(op, l, r)
  return isComparison(op) ? (keep ? 1 : 0) : value
}

function vectorScalarOp(op: BinaryOp, samples: Sample[], s: number, scalarOnLeft: boolean, returnBool: boolean, timeMs: number): Sample[] {
  const out: Sample[] = []
  for (const sample of samples) {
    const [l, r] = scalarOnLeft ? [s, sample.value] : [sample.value, s]
    let { value, keep } = elementOp(op, l, r)
    // a comparison keeps the vector element's value, whichever side it is on
    if (isComparison(op) && scalarOnLeft) value = r
    if (returnBool) {
      value = keep ? 1 : 0
      keep = true
    }
    if (!keep) continue
    out.push({ labels: dropsName(op) || returnBool ? dropMetricName(sample.labels) : sample.labels, value, timestampMs: timeMs })
  }
  return out
}

function matchLabels(labels: Labels, matching: VectorMatching): Labels {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(labels)) {
    const listed = matching.labels.includes(name)
    if (matching.on ? listed : !listed && name !== METRIC_NAME) out[name] = value
  }
  return out
}

const matchingKeys = new WeakMap<VectorMatching, string>()

function matchingKey(matching: VectorMatching): string {
  let key = matchingKeys.get(matching)
  if (key === undefined) matchingKeys.set(matching, (key = JSON.stringify(matching)))
  return key
}

/** The labels of a vector-vector result, made once per pair of label sets (see deriveLabels). */
function resultLabels(many: Labels, one: Labels, op: BinaryOp, matching: VectorMatching, returnBool: boolean): Labels {
  const dropName = dropsName(op) || returnBool
  const how = `binary ${dropName} ${matchingKey(matching)} ${matching.include.length ? labelsKey(one) : ''}`
  return deriveLabels(many, how, () => makeResultLabels(many, one, dropName, matching))
}

function makeResultLabels(many: Labels, one: Labels, dropName: boolean, matching: VectorMatching): Labels {
  const out: Record<string, string> = { ...many }
  if (dropName) delete out[METRIC_NAME]
  if (matching.card === 'one-to-one') {
    for (const name of Object.keys(out)) {
      const listed = matching.labels.includes(name)
      if (matching.on ? !listed : listed) delete out[name]
    }
  }
  for (const name of matching.include) {
    if (one[name]) out[name] = one[name]
    else delete out[name]
  }
  return out
}

function matchingError(message: string): MetricsSourceError {
  return new MetricsSourceError(message, 'query')
}

function vectorVectorOp(op: BinaryOp, lhs: Sample[], rhs: Sample[], matching: VectorMatching, returnBool: boolean, timeMs: number): Sample[] {
  if (lhs.length === 0 || rhs.length === 0) return []
  const swapped = matching.card === 'one-to-many'
  const [many, one] = swapped ? [rhs, lhs] : [lhs, rhs]
  const oneBySignature = new Map<string, Sample>()
  for (const s of one) {
    const sig = signature(s.labels, matching.on, matching.labels)
    const duplicate = oneBySignature.get(sig)
    if (duplicate) {
      throw matchingError(
        `found duplicate series for the match group ${formatLabels(matchLabels(s.labels, matching))} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${formatLabels(s.labels)}, ${formatLabels(duplicate.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      )
    }
    oneBySignature.set(sig, s)
  }
  const matched = new Map<string, Set<string>>()
  const out: Sample[] = []
  for (const m of many) {
    const sig = signature(m.labels, matching.on, matching.labels)
    const o = oneBySignature.get(sig)
    if (!o) continue
    const [l, r] = swapped ? [o.value, m.value] : [m.value, o.value]
    let { value, keep } = elementOp(op, l, r)
    if (returnBool) {
      value = keep ? 1 : 0
      keep = true
    }
    if (!keep) continue
    const labels = resultLabels(m.labels, o.labels, op, matching, returnBool)
    const seen = matched.get(sig)
    if (matching.card === 'one-to-one') {
      if (seen) throw matchingError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)')
      matched.set(sig, new Set())
    } else {
      const key = labelsKey(labels)
      if (seen?.has(key)) throw matchingError('multiple matches for labels: grouping labels must ensure unique matches')
      matched.set(sig, (seen ?? new Set()).add(key))
    }
    out.push({ labels, value, timestampMs: timeMs })
  }
  return out
}

function setOp(op: BinaryOp, lhs: Sample[], rhs: Sample[], matching: VectorMatching): Sample[] {
  const sig = (s: Sample) => signature(s.labels, matching.on, matching.labels)
  switch (op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return []
      const right = new Set(rhs.map(sig))
      return lhs.filter((s) => right.has(sig(s)))
    }
    case 'or': {
      if (lhs.length === 0) return rhs
      if (rhs.length === 0) return lhs
      const left = new Set(lhs.map(sig))
      return [...lhs, ...rhs.filter((s) => !left.has(sig(s)))]
    }
    case 'unless': {
      if (lhs.length === 0 || rhs.length === 0) return lhs
      const right = new Set(rhs.map(sig))
      return lhs.filter((s) => !right.has(sig(s)))
    }
    default:
      throw new Error(`not a set operator: ${op}`)
  }
}

export function binaryOp(op: BinaryOp, lhs: Value, rhs: Value, returnBool: boolean, matching: VectorMatching | undefined, timeMs: number): Value {
  if (lhs.type === 'scalar' && rhs.type === 'scalar') return { type: 'scalar', value: scalarOp(op, lhs.value, rhs.value) }
  if (lhs.type === 'vector' && rhs.type === 'scalar') return { type: 'vector', samples: vectorScalarOp(op, lhs.samples, rhs.value, false, returnBool, timeMs) }
  if (lhs.type === 'scalar' && rhs.type === 'vector') return { type: 'vector', samples: vectorScalarOp(op, rhs.samples, lhs.value, true, returnBool, timeMs) }
  if (lhs.type === 'vector' && rhs.type === 'vector' && matching) {
    const samples = isSetOperator(op) ? setOp(op, lhs.samples, rhs.samples, matching) : vectorVectorOp(op, lhs.samples, rhs.samples, matching, returnBool, timeMs)
    return { type: 'vector', samples }
  }
  throw new Error(`binary ${op} between ${lhs.type} and ${rhs.type}`)
}
