/**
 * A PromQL evaluator for Firebreak's demo data.
 *
 * Why the demo evaluates PromQL at all: one definition, two outputs. A scenario (lib/telemetry/scenarios) describes
 * how each series evolves; the same scenario feeds the demo (through this evaluator) and a real Prometheus (backfilled
 * with promtool in tests). Firebreak sends the demo exactly the PromQL it sends Prometheus (SLOs, the fleet view,
 * runbook blocks), and prometheus-parity.int.test.ts compares the two answers, which keeps this evaluator honest.
 *
 * Semantics follow Prometheus 2.42 (the Debian release the parity test runs): a range `[5m]` includes samples at both
 * ends, an instant selector looks back 5 minutes including the edge, rate() extrapolates as promql/functions.go does.
 * Prometheus 3 differs slightly (left-open ranges and lookback); the demo does not need to follow it.
 *
 * Supported: number and string literals; vector selectors with =, !=, =~, !~ (anchored RE2); offset; range selectors;
 * subqueries `[range:step]` (steps aligned to the epoch); the functions in ./functions.ts (rate, irate, increase,
 * delta, idelta, deriv, predict_linear, changes, resets, *_over_time, quantile_over_time, histogram_quantile on classic
 * buckets, time, timestamp, vector, scalar, abs/ceil/floor/exp/sqrt/ln/log2/log10/sgn, round, clamp, clamp_min,
 * clamp_max, absent, absent_over_time, label_replace, label_join, sort, sort_desc); the aggregations sum, avg, min,
 * max, count, group, stddev, stdvar, topk, bottomk, quantile with by/without; arithmetic, comparison (with bool) and
 * set operators with on/ignoring and group_left/group_right.
 * Not supported, with a "cannot evaluate ... connect a Prometheus" query error: the @ modifier, native histograms and
 * their functions, count_values, limitk, date functions, trigonometry, duration arithmetic, Prometheus 3 extensions.
 */
import { MetricsSourceError } from '../metrics-source'
import { aggregate } from './aggregate'
import { parsePromql, typeOf, type Expr, type VectorSelectorExpr } from './ast'
import { binaryOp } from './binary'
import { FUNCTIONS } from './functions'
import { compareLabels, dropMetricName, labelsKey, type Labels } from './labels'
import type { SampleStore } from './store'
import type { MatrixValue, Point, RangeWindow, Sample, Value } from './values'

export interface EvaluatorOptions {
  /** how far back an instant selector looks for a sample (Prometheus' --query.lookback-delta, 5 minutes) */
  lookbackDeltaSeconds?: number
  /** the step of a subquery written without one, `[1h:]` (Prometheus uses its evaluation_interval, 1 minute by default) */
  defaultSubqueryStepSeconds?: number
}

export type InstantResult = { resultType: 'scalar'; value: number } | { resultType: 'vector'; samples: { labels: Labels; value: number }[] }

export interface RangeResult {
  labels: Labels
  /** [unix seconds, value] */
  points: [number, number][]
}

/** Prometheus refuses range queries with more points per series than this. */
const MAX_POINTS = 11_000

function queryError(message: string): MetricsSourceError {
  return new MetricsSourceError(message, 'query')
}

/** A vector must not hold two samples with the same labels (e.g. after dropping metric names). */
function assertUniqueLabels(samples: Sample[]): void {
  if (samples.length < 2) return
  const seen = new Set<string>()
  for (const s of samples) {
    const key = labelsKey(s.labels)
    if (seen.has(key)) throw queryError('vector cannot contain metrics with the same labelset')
    seen.add(key)
  }
}

/** One query's evaluation: the expression at any instant, with subquery results memoised across instants. */
class Evaluation {
  private readonly lookbackMs: number
  private readonly defaultStepMs: number
  private readonly subqueryResults = new Map<Expr, Map<number, Sample[]>>()

  constructor(
    private readonly store: SampleStore,
    options: EvaluatorOptions,
  ) {
    this.lookbackMs = (options.lookbackDeltaSeconds ?? 300) * 1000
    this.defaultStepMs = (options.defaultSubqueryStepSeconds ?? 60) * 1000
  }

  eval(expr: Expr, timeMs: number): Value {
    switch (expr.type) {
      case 'number':
        return { type: 'scalar', value: expr.value }
      case 'string':
        return { type: 'string', value: expr.value }
      case 'paren':
        return this.eval(expr.expr, timeMs)
      case 'vectorSelector':
        return { type: 'vector', samples: this.instantSelect(expr, timeMs) }
      case 'matrixSelector':
        return this.rangeSelect(expr.selector, expr.rangeMs, timeMs)
      case 'subquery':
        return this.subquery(expr, timeMs)
      case 'unary':
        return this.unary(expr.op, this.eval(expr.expr, timeMs))
      case 'call': {
        const args = expr.args.map((arg) => this.eval(arg, timeMs))
        const result = FUNCTIONS[expr.func].call(args, { timeMs, args: expr.args })
        if (result.type === 'vector') assertUniqueLabels(result.samples)
        return result
      }
      case 'aggregate': {
        const param = expr.param ? this.eval(expr.param, timeMs) : undefined
        const input = this.eval(expr.expr, timeMs)
        if (input.type !== 'vector') throw new Error('aggregation over a non-vector')
        const samples = aggregate(expr.op, param?.type === 'scalar' ? param.value : undefined, input.samples, expr.grouping, expr.without, timeMs)
        return { type: 'vector', samples }
      }
      case 'binary': {
        const result = binaryOp(expr.op, this.eval(expr.lhs, timeMs), this.eval(expr.rhs, timeMs), expr.returnBool, expr.matching, timeMs)
        if (result.type === 'vector') assertUniqueLabels(result.samples)
        return result
      }
    }
  }

  private unary(op: '-' | '+', value: Value): Value {
    if (op === '+') return value
    if (value.type === 'scalar') return { type: 'scalar', value: -value.value }
    if (value.type === 'vector') return { type: 'vector', samples: value.samples.map((s) => ({ ...s, labels: dropMetricName(s.labels), value: -s.value })) }
    throw new Error(`unary minus on ${value.type}`)
  }

  /** The latest sample of each matching series within the lookback window before (time - offset). */
  private instantSelect(selector: VectorSelectorExpr, timeMs: number): Sample[] {
    const refMs = timeMs - selector.offsetMs
    const [from, to] = [(refMs - this.lookbackMs) / 1000, refMs / 1000]
    const series = this.store.latest ? this.store.latest(selector.matchers, from, to) : this.store.select(selector.matchers, from, to)
    return series.map((s) => {
      const [t, value] = s.points[s.points.length - 1]
      return { labels: s.labels, value, timestampMs: Math.round(t * 1000) }
    })
  }

  /** Every sample of each matching series in [time - offset - range, time - offset]. */
  private rangeSelect(selector: VectorSelectorExpr, rangeMs: number, timeMs: number): MatrixValue {
    const endMs = timeMs - selector.offsetMs
    const startMs = endMs - rangeMs
    const windows = this.store.select(selector.matchers, startMs / 1000, endMs / 1000).map(
      (s): RangeWindow => ({ labels: s.labels, points: s.points.map(([t, v]): Point => [Math.round(t * 1000), v]) }),
    )
    return { type: 'matrix', windows, startMs, endMs, rangeMs }
  }

  /** `expr[range:step]`: the inner expression at every multiple of step (since the epoch) inside the range. */
  private subquery(expr: Extract<Expr, { type: 'subquery' }>, timeMs: number): MatrixValue {
    const stepMs = expr.stepMs ?? this.defaultStepMs
    const endMs = timeMs - expr.offsetMs
    const startMs = endMs - expr.rangeMs
    const byLabels = new Map<string, RangeWindow>()
    for (let t = Math.ceil(startMs / stepMs) * stepMs; t <= endMs; t += stepMs) {
      for (const sample of this.innerSamples(expr, t)) {
        const key = labelsKey(sample.labels)
        const window = byLabels.get(key) ?? { labels: sample.labels, points: [] }
        window.points.push([t, sample.value])
        byLabels.set(key, window)
      }
    }
    return { type: 'matrix', windows: [...byLabels.values()], startMs, endMs, rangeMs: expr.rangeMs }
  }

  private innerSamples(expr: Extract<Expr, { type: 'subquery' }>, timeMs: number): Sample[] {
    let results = this.subqueryResults.get(expr)
    if (!results) this.subqueryResults.set(expr, (results = new Map()))
    let samples = results.get(timeMs)
    if (!samples) {
      const value = this.eval(expr.expr, timeMs)
      if (value.type !== 'vector') throw new Error('subquery over a non-vector')
      samples = value.samples
      results.set(timeMs, samples)
    }
    return samples
  }
}

function resultTypeError(expr: Expr, kind: 'instant' | 'range'): MetricsSourceError | undefined {
  const type = typeOf(expr)
  if (type === 'string') return queryError(`the query is a string, not a metric: ${kind === 'range' ? 'a range query must be a scalar or an instant vector' : 'nothing to plot'}`)
  if (type === 'matrix') {
    return queryError(
      kind === 'range'
        ? 'invalid expression type "range vector" for range query, must be Scalar or instant Vector'
        : 'the query returns a range vector (raw samples over a window); wrap it in a function such as rate() or max_over_time() to get one value per series',
    )
  }
  return undefined
}

/** The query's value at one instant: a scalar, or a vector in Prometheus' order. */
export function evaluateInstant(query: string, store: SampleStore, time: Date, options: EvaluatorOptions = {}): InstantResult {
  const expr = parsePromql(query)
  const typeError = resultTypeError(expr, 'instant')
  if (typeError) throw typeError
  const value = new Evaluation(store, options).eval(expr, time.getTime())
  if (value.type === 'scalar') return { resultType: 'scalar', value: value.value }
  if (value.type !== 'vector') throw new Error(`unexpected ${value.type} result`)
  assertUniqueLabels(value.samples)
  return { resultType: 'vector', samples: value.samples.map((s) => ({ labels: s.labels, value: s.value })) }
}

/** The query evaluated at start, start + step, ... up to end, one series per label set (sorted by labels), as Prometheus' query_range. */
export function evaluateRange(query: string, store: SampleStore, range: { start: Date; end: Date; stepSeconds: number }, options: EvaluatorOptions = {}): RangeResult[] {
  const expr = parsePromql(query)
  const typeError = resultTypeError(expr, 'range')
  if (typeError) throw typeError
  const startMs = range.start.getTime()
  const endMs = range.end.getTime()
  const stepMs = Math.round(range.stepSeconds * 1000)
  if (endMs < startMs) throw queryError('end timestamp must not be before start time')
  if (!(stepMs > 0)) throw queryError('zero or negative query resolution step widths are not accepted. Try a positive integer')
  if ((endMs - startMs) / stepMs + 1 > MAX_POINTS) throw queryError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)')
  const evaluation = new Evaluation(store, options)
  const series = new Map<string, RangeResult>()
  const add = (labels: Labels, t: number, value: number) => {
    const key = labelsKey(labels)
    let s = series.get(key)
    if (!s) series.set(key, (s = { labels, points: [] }))
    s.points.push([t / 1000, value])
  }
  for (let t = startMs; t <= endMs; t += stepMs) {
    const value = evaluation.eval(expr, t)
    if (value.type === 'scalar') add({}, t, value.value)
    else if (value.type === 'vector') {
      assertUniqueLabels(value.samples)
      for (const s of value.samples) add(s.labels, t, s.value)
    }
  }
  return [...series.values()].sort((a, b) => compareLabels(a.labels, b.labels))
}

/** The label sets of the series matching any of the selectors with samples in [start, end], as /api/v1/series. */
export function selectSeries(store: SampleStore, selectors: string[], range: { start: Date; end: Date }): Labels[] {
  const found = new Map<string, Labels>()
  for (const text of selectors) {
    const expr = parsePromql(text)
    if (expr.type !== 'vectorSelector') throw queryError(`not a series selector: “${text}” (write a metric name and/or {label matchers})`)
    for (const s of store.select(expr.matchers, range.start.getTime() / 1000, range.end.getTime() / 1000)) found.set(labelsKey(s.labels), s.labels)
  }
  return [...found.values()].sort(compareLabels)
}
