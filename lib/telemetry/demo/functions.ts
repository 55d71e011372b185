/**
 * PromQL functions, implemented after Prometheus 2.42's promql/functions.go (the release the parity test runs):
 * rate/increase/delta extrapolation, irate, the *_over_time family, histogram_quantile on classic buckets, and the
 * instant-vector helpers. Each function drops the metric name where Prometheus drops it.
 */
import type { Expr } from './ast'
import { METRIC_NAME, anchoredRegex, dropMetricName, parseGoFloat, signature, type LabelMatcher, type Labels } from './labels'
import { MetricsSourceError } from '../metrics-source'
import { incrementalMean, maximum, minimum, quantile, variance } from './stats'
import type { MatrixValue, Point, Sample, Value, ValueType } from './values'

export type { ValueType } from './values'

export interface CallContext {
  /** evaluation time, milliseconds */
  timeMs: number
  /** the argument expressions as written (absent() reads their matchers, timestamp() whether it is a selector) */
  args: Expr[]
}

export interface FunctionDef {
  args: ValueType[]
  /** how many trailing arguments may be left out */
  optional?: number
  /** the last argument type repeats (label_join) */
  variadic?: boolean
  returns: ValueType
  call(args: Value[], ctx: CallContext): Value
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

function queryError(message: string): MetricsSourceError {
  return new MetricsSourceError(message, 'query')
}

function vectorOf(value: Value): Sample[] {
  if (value.type !== 'vector') throw new Error(`expected a vector, got ${value.type}`)
  return value.samples
}

function matrixOf(value: Value): MatrixValue {
  if (value.type !== 'matrix') throw new Error(`expected a range vector, got ${value.type}`)
  return value
}

function numberOf(value: Value): number {
  if (value.type !== 'scalar') throw new Error(`expected a scalar, got ${value.type}`)
  return value.value
}

function stringOf(value: Value): string {
  if (value.type !== 'string') throw new Error(`expected a string, got ${value.type}`)
  return value.value
}

// ---------------------------------------------------------------------------------------------------------------
// Range-vector functions: one number (or nothing) per series window.

type WindowFn = (points: Point[], matrix: MatrixValue, params: number[], timeMs: number) => number | undefined

/**
 * rate(), increase() and delta(): the difference between the first and last sample in the window (counter resets
 * added back), extrapolated towards the window's edges: all the way when the first/last sample is within 1.1 average
 * intervals of the edge, else by half an interval; a counter is never extrapolated below zero.
 */
export function extrapolatedRate(points: Point[], matrix: MatrixValue, isCounter: boolean, isRate: boolean): number | undefined {
  if (points.length < 2) return undefined
  const [firstT, firstV] = points[0]
  const [lastT, lastV] = points[points.length - 1]
  let result = lastV - firstV
  if (isCounter) {
    for (let i = 1; i < points.length; i++) if (points[i][1] < points[i - 1][1]) result += points[i - 1][1]
  }
  let durationToStart = (firstT - matrix.startMs) / 1000
  const durationToEnd = (matrix.endMs - lastT) / 1000
  const sampledInterval = (lastT - firstT) / 1000
  const averageInterval = sampledInterval / (points.length - 1)
  // Prometheus 2: the zero point of a counter limits the extrapolation before the threshold is applied
  if (isCounter && result > 0 && firstV >= 0) {
    const durationToZero = sampledInterval * (firstV / result)
    if (durationToZero < durationToStart) durationToStart = durationToZero
  }
  const threshold = averageInterval * 1.1
  let extrapolateTo = sampledInterval
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
  let factor = extrapolateTo / sampledInterval
  if (isRate) factor /= matrix.rangeMs / 1000
  return result * factor
}

/** irate() and idelta(): the last two samples only. */
function instantValue(points: Point[], isRate: boolean): number | undefined {
  if (points.length < 2) return undefined
  const [lastT, lastV] = points[points.length - 1]
  const [prevT, prevV] = points[points.length - 2]
  const result = isRate && lastV < prevV ? lastV : lastV - prevV
  const interval = lastT - prevT
  if (interval === 0) return undefined
  return isRate ? result / (interval / 1000) : result
}

/** Least squares fit with x in seconds relative to interceptMs, as Prometheus' linearRegression. */
function linearRegression(points: Point[], interceptMs: number): { slope: number; intercept: number } {
  const initY = points[0][1]
  let constY = true
  let n = 0, sumX = 0, sumY = 0, sumXY = 0, sumX2 = 0
  for (const [t, v] of points) {
    if (v !== initY) constY = false
    const x = (t - interceptMs) / 1000
    n++
    sumX += x
    sumY += v
    sumXY += x * v
    sumX2 += x * x
  }
  if (constY) return Number.isFinite(initY) ? { slope: 0, intercept: initY } : { slope: NaN, intercept: NaN }
  const covXY = sumXY - (sumX * sumY) / n
  const varX = sumX2 - (sumX * sumX) / n
  const slope = covXY / varX
  return { slope, intercept: sumY / n - (slope * sumX) / n }
}

const values = (points: Point[]) => points.map((p) => p[1])

const WINDOW_FUNCTIONS: Record<string, WindowFn> = {
  rate: (p, m) => extrapolatedRate(p, m, true, true),
  increase: (p, m) => extrapolatedRate(p, m, true, false),
  delta: (p, m) => extrapolatedRate(p, m, false, false),
  irate: (p) => instantValue(p, true),
  idelta: (p) => instantValue(p, false),
  deriv: (p) => (p.length < 2 ? undefined : linearRegression(p, p[0][0]).slope),
  predict_linear: (p, _m, [seconds], timeMs) => {
    if (p.length < 2) return undefined
    // relative to the evaluation time, even with an offset, as Prometheus does
    const { slope, intercept } = linearRegression(p, timeMs)
    return slope * seconds + intercept
  },
  changes: (p) => p.slice(1).filter(([, v], i) => v !== p[i][1] && !(Number.isNaN(v) && Number.isNaN(p[i][1]))).length,
  resets: (p) => p.slice(1).filter(([, v], i) => v < p[i][1]).length,
  avg_over_time: (p) => incrementalMean(values(p)),
  sum_over_time: (p) => values(p).reduce((a, b) => a + b, 0),
  count_over_time: (p) => p.length,
  min_over_time: (p) => minimum(values(p)),
  max_over_time: (p) => maximum(values(p)),
  last_over_time: (p) => p[p.length - 1][1],
  present_over_time: () => 1,
  stddev_over_time: (p) => Math.sqrt(variance(values(p))),
  stdvar_over_time: (p) => variance(values(p)),
  quantile_over_time: (p, _m, [q]) => quantile(q, values(p)),
}

/** Applies a window function to every series of the range-vector argument; scalar parameters come first or last. */
function rangeFunction(name: string, matrixIndex = 0): FunctionDef['call'] {
  const fn = WINDOW_FUNCTIONS[name]
  return (args, ctx) => {
    const matrix = matrixOf(args[matrixIndex])
    const params = args.filter((_, i) => i !== matrixIndex).map(numberOf)
    const out: Sample[] = []
    for (const window of matrix.windows) {
      if (window.points.length === 0) continue
      const value = fn(window.points, matrix, params, ctx.timeMs)
      if (value === undefined) continue
      // last_over_time() acts like an offset and keeps the metric name; the others drop it
      out.push({ labels: name === 'last_over_time' ? window.labels : dropMetricName(window.labels), value, timestampMs: ctx.timeMs })
    }
    return { type: 'vector', samples: out }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Instant-vector functions

function mapValues(fn: (v: number, params: number[]) => number): FunctionDef['call'] {
  return (args, ctx) => {
    const params = args.slice(1).map(numberOf)
    return { type: 'vector', samples: vectorOf(args[0]).map((s) => ({ labels: dropMetricName(s.labels), value: fn(s.value, params), timestampMs: ctx.timeMs })) }
  }
}

const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
}

interface Bucket {
  upperBound: number
  count: number
}

/** Prometheus 2's bucketQuantile: linear interpolation inside the bucket holding the rank; needs a +Inf bucket. */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN
  if (q < 0) return -Infinity
  if (q > 1) return Infinity
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound)
  if (sorted.length === 0 || sorted[sorted.length - 1].upperBound !== Infinity) return NaN
  // coalesce buckets with the same bound, then force the counts to be monotonic
  const buckets: Bucket[] = []
  for (const b of sorted) {
    const last = buckets[buckets.length - 1]
    if (last && last.upperBound === b.upperBound) last.count += b.count
    else buckets.push({ ...b })
  }
  let max = -Infinity
  for (const b of buckets) {
    if (b.count > max) max = b.count
    else if (b.count < max) b.count = max
  }
  if (buckets.length < 2) return NaN
  const observations = buckets[buckets.length - 1].count
  if (observations === 0) return NaN
  let rank = q * observations
  let b = buckets.slice(0, -1).findIndex((bucket) => bucket.count >= rank)
  if (b === -1) b = buckets.length - 1
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound
  let bucketStart = 0
  const bucketEnd = buckets[b].upperBound
  let count = buckets[b].count
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound
    count -= buckets[b - 1].count
    rank -= buckets[b - 1].count
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count)
}

const EXCLUDED_FROM_HISTOGRAM = [METRIC_NAME, 'le', 'quantile']

function histogramQuantile(args: Value[], ctx: CallContext): Value {
  const q = numberOf(args[0])
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>()
  for (const s of vectorOf(args[1])) {
    const upperBound = parseGoFloat(s.labels.le ?? '')
    if (Number.isNaN(upperBound)) continue // no le label, or not a number: Prometheus skips the sample
    const key = signature(s.labels, false, ['le', 'quantile'])
    let group = groups.get(key)
    if (!group) {
      const labels = Object.fromEntries(Object.entries(s.labels).filter(([name]) => !EXCLUDED_FROM_HISTOGRAM.includes(name)))
      group = { labels, buckets: [] }
      groups.set(key, group)
    }
    group.buckets.push({ upperBound, count: s.value })
  }
  return { type: 'vector', samples: [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets), timestampMs: ctx.timeMs })) }
}

/** Go's regexp.Expand: $1, ${1}, $name, ${name}; `$1x` names group "1x" (empty), `$$` is a dollar sign. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$'
    const name = braced ?? bare!
    if (/^\d+$/.test(name) && !(name.length > 1 && name[0] === '0')) return match[Number(name)] ?? ''
    return match.groups?.[name] ?? ''
  })
}

function labelReplace(args: Value[], ctx: CallContext): Value {
  const [dst, replacement, src, regexText] = args.slice(1).map(stringOf)
  const regex = anchoredRegexFor('label_replace', regexText)
  if (!LABEL_NAME.test(dst)) throw queryError(`invalid destination label name in label_replace(): ${dst}`)
  const samples = vectorOf(args[0]).map((s) => {
    const match = regex.exec(s.labels[src] ?? '')
    if (!match) return { ...s, timestampMs: ctx.timeMs }
    const value = expandTemplate(replacement, match)
    const { [dst]: _old, ...rest } = s.labels
    return { labels: value ? { ...rest, [dst]: value } : rest, value: s.value, timestampMs: ctx.timeMs }
  })
  return { type: 'vector', samples }
}

function anchoredRegexFor(func: string, source: string): RegExp {
  try {
    return anchoredRegex(source)
  } catch (error) {
    if (error instanceof MetricsSourceError && error.message.startsWith('The demo data')) throw error
    throw queryError(`invalid regular expression in ${func}(): ${source}`)
  }
}

function labelJoin(args: Value[], ctx: CallContext): Value {
  const [dst, separator, ...sources] = args.slice(1).map(stringOf)
  for (const src of sources) if (!LABEL_NAME.test(src)) throw queryError(`invalid source label name in label_join(): ${src}`)
  if (!LABEL_NAME.test(dst)) throw queryError(`invalid destination label name in label_join(): ${dst}`)
  const samples = vectorOf(args[0]).map((s) => {
    const joined = sources.map((src) => s.labels[src] ?? '').join(separator)
    const { [dst]: _old, ...rest } = s.labels
    return { labels: joined ? { ...rest, [dst]: joined } : rest, value: s.value, timestampMs: ctx.timeMs }
  })
  return { type: 'vector', samples }
}

/** The labels absent() gives: those of the selector's equality matchers (not the name), unless a label is also matched otherwise. */
function absentLabels(arg: Expr): Labels {
  const selector = arg.type === 'vectorSelector' ? arg : arg.type === 'matrixSelector' ? arg.selector : undefined
  if (!selector) return {}
  const labels: Record<string, string> = {}
  const other: string[] = []
  for (const m of selector.matchers as LabelMatcher[]) {
    if (m.name === METRIC_NAME) continue
    if (m.op === '=' && !(m.name in labels)) labels[m.name] = m.value
    else other.push(m.name)
  }
  for (const name of other) delete labels[name]
  for (const [name, value] of Object.entries(labels)) if (value === '') delete labels[name]
  return labels
}

/** NaN sorts last either way, as in Prometheus. */
function sortByValue(descending: boolean): FunctionDef['call'] {
  return (args, ctx) => {
    const samples = vectorOf(args[0]).map((s) => ({ ...s, timestampMs: ctx.timeMs }))
    samples.sort((a, b) => {
      if (Number.isNaN(a.value)) return Number.isNaN(b.value) ? 0 : 1
      if (Number.isNaN(b.value)) return -1
      return descending ? b.value - a.value : a.value - b.value
    })
    return { type: 'vector', samples }
  }
}

function isSelector(expr: Expr): boolean {
  while (expr.type === 'paren') expr = expr.expr
  return expr.type === 'vectorSelector'
}

const range = (name: string, args: ValueType[] = ['matrix'], matrixIndex = 0): FunctionDef => ({ args, returns: 'vector', call: rangeFunction(name, matrixIndex) })

export const FUNCTIONS: Record<string, FunctionDef> = {
  ...Object.fromEntries(Object.keys(WINDOW_FUNCTIONS).map((name) => [name, range(name)])),
  predict_linear: range('predict_linear', ['matrix', 'scalar']),
  quantile_over_time: range('quantile_over_time', ['scalar', 'matrix'], 1),
  ...Object.fromEntries(Object.entries(MATH).map(([name, fn]) => [name, { args: ['vector'], returns: 'vector', call: mapValues(fn) } satisfies FunctionDef])),
  round: { args: ['vector', 'scalar'], optional: 1, returns: 'vector', call: mapValues((v, [toNearest = 1]) => Math.floor(v * (1 / toNearest) + 0.5) / (1 / toNearest)) },
  clamp_min: { args: ['vector', 'scalar'], returns: 'vector', call: mapValues((v, [min]) => Math.max(min, v)) },
  clamp_max: { args: ['vector', 'scalar'], returns: 'vector', call: mapValues((v, [max]) => Math.min(max, v)) },
  clamp: {
    args: ['vector', 'scalar', 'scalar'],
    returns: 'vector',
    call: (args, ctx) => {
      const [min, max] = [numberOf(args[1]), numberOf(args[2])]
      if (max < min) return { type: 'vector', samples: [] }
      return mapValues((v) => Math.max(min, Math.min(max, v)))(args, ctx)
    },
  },
  histogram_quantile: { args: ['scalar', 'vector'], returns: 'vector', call: histogramQuantile },
  label_replace: { args: ['vector', 'string', 'string', 'string', 'string'], returns: 'vector', call: labelReplace },
  label_join: { args: ['vector', 'string', 'string', 'string'], variadic: true, optional: 1, returns: 'vector', call: labelJoin },
  absent: {
    args: ['vector'],
    returns: 'vector',
    call: (args, ctx) => (vectorOf(args[0]).length > 0 ? { type: 'vector', samples: [] } : { type: 'vector', samples: [{ labels: absentLabels(ctx.args[0]), value: 1, timestampMs: ctx.timeMs }] }),
  },
  absent_over_time: {
    args: ['matrix'],
    returns: 'vector',
    call: (args, ctx) => (matrixOf(args[0]).windows.some((w) => w.points.length > 0) ? { type: 'vector', samples: [] } : { type: 'vector', samples: [{ labels: absentLabels(ctx.args[0]), value: 1, timestampMs: ctx.timeMs }] }),
  },
  scalar: {
    args: ['vector'],
    returns: 'scalar',
    call: (args) => {
      const samples = vectorOf(args[0])
      return { type: 'scalar', value: samples.length === 1 ? samples[0].value : NaN }
    },
  },
  vector: { args: ['scalar'], returns: 'vector', call: (args, ctx) => ({ type: 'vector', samples: [{ labels: {}, value: numberOf(args[0]), timestampMs: ctx.timeMs }] }) },
  time: { args: [], returns: 'scalar', call: (_args, ctx) => ({ type: 'scalar', value: ctx.timeMs / 1000 }) },
  timestamp: {
    args: ['vector'],
    returns: 'vector',
    call: (args, ctx) => {
      // over a selector, the time of the sample itself; over anything else, the evaluation time
      const own = isSelector(ctx.args[0])
      return { type: 'vector', samples: vectorOf(args[0]).map((s) => ({ labels: dropMetricName(s.labels), value: (own ? s.timestampMs : ctx.timeMs) / 1000, timestampMs: ctx.timeMs })) }
    },
  },
  sort: { args: ['vector'], returns: 'vector', call: sortByValue(false) },
  sort_desc: { args: ['vector'], returns: 'vector', call: sortByValue(true) },
}

