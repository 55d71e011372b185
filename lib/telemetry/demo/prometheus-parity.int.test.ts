/**
 * The demo's PromQL evaluator against the real thing: for every scenario, the same generated samples go into a real
 * Prometheus (backfilled with promtool) and into the demo's store, and every query of parity-queries.ts plus every
 * runbook ```promql block must give the same label sets and values (1e-6 relative) through PrometheusSource and
 * DemoMetricsSource, at several instants (one inside the silent gap of slow-model-loading, one on the lookback edge)
 * and over ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from '../metrics-source'
import { PrometheusSource } from '../prometheus'
import { SCENARIOS } from '../scenarios/library'
import { generateSeries, scenarioStart } from '../scenarios/model'
import { DemoMetricsSource } from './demo-source'
import { labelsKey } from './labels'
import { FIREBREAK_QUERIES, KNOWN_UNSUPPORTED, REFUSED_QUERIES, runbookQueries } from './parity-queries'
import { GeneratedSeriesStore } from './store'

// end on a whole hour an hour ago: inside the retention, and in the past so the TSDB head does not overlap
const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
const MINUTE = 60_000

/** Minutes since the scenario start (all scenarios run 360 minutes, the deploy of slow-model-loading at 240). */
const INSTANT_MINUTES = [
  0, // the first samples: counters at 0, ranges reaching before the data
  4.5, // early: rate() windows only partly covered, off the sample grid
  240, // the deploy: old pods' last sample was at 239
  244, // exactly 5 minutes after the old pods' last sample: still inside the lookback
  244.1, // just past it: stale
  260, // deep in the silent gap
  300.5,
  330,
  360, // the last sample
  363, // after the data, inside the lookback
]

const UNSUPPORTED = /cannot evaluate/

const runbook = runbookQueries()
const knownUnsupported = new Map(KNOWN_UNSUPPORTED.map((k) => [k.query, k.reason]))
const queries = [...new Set([...FIREBREAK_QUERIES, ...runbook.map((r) => r.query)])]
/** how many samples Prometheus answered per query, over every scenario: a query that never returns data tests little */
const answered = new Map<string, number>()

/** demo against Prometheus (as PrometheusSource reads it) */
function sameValue(a: number, b: number): boolean {
  // PrometheusSource reads Prometheus' "+Inf" and "-Inf" with Number(), which gives NaN: an infinity from the demo
  // stands for that NaN until the adapter reads infinities
  if (Math.abs(a) === Infinity && Number.isNaN(b)) return true
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b
  // 1e-6 relative; the absolute floor only forgives float noise around zero (e.g. x - x summed in another order)
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12
}

function describeMismatch(what: string, demo: unknown, prometheus: unknown): string {
  return `${what}\n  demo:       ${JSON.stringify(demo)}\n  prometheus: ${JSON.stringify(prometheus)}`
}

/** Differences between two instant answers, compared as sets of label sets (order aside, which sort() checks separately). */
function compareInstant(demo: InstantSample[], prometheus: InstantSample[]): string[] {
  const problems: string[] = []
  const byKey = new Map(prometheus.map((s) => [labelsKey(s.labels), s]))
  if (demo.length !== prometheus.length) problems.push(describeMismatch(`${demo.length} samples against ${prometheus.length}`, demo.map((s) => s.labels), prometheus.map((s) => s.labels)))
  for (const s of demo) {
    const p = byKey.get(labelsKey(s.labels))
    if (!p) problems.push(describeMismatch('a label set only the demo has', s, prometheus.map((x) => x.labels)))
    else if (s.value[0] !== p.value[0] || !sameValue(s.value[1], p.value[1])) problems.push(describeMismatch('different values', s, p))
  }
  return problems
}

function compareRange(demo: RangeSeries[], prometheus: RangeSeries[]): string[] {
  const problems: string[] = []
  const byKey = new Map(prometheus.map((s) => [labelsKey(s.labels), s]))
  if (demo.length !== prometheus.length) problems.push(describeMismatch(`${demo.length} series against ${prometheus.length}`, demo.map((s) => s.labels), prometheus.map((s) => s.labels)))
  for (const s of demo) {
    const p = byKey.get(labelsKey(s.labels))
    if (!p) {
      problems.push(describeMismatch('a series only the demo has', s.labels, prometheus.map((x) => x.labels)))
      continue
    }
    const times = (r: RangeSeries) => r.points.map(([t]) => t).join(',')
    if (times(s) !== times(p)) {
      problems.push(describeMismatch(`different steps for ${JSON.stringify(s.labels)}`, s.points.map(([t]) => t), p.points.map(([t]) => t)))
      continue
    }
    const i = s.points.findIndex(([, v], j) => !sameValue(v, p.points[j][1]))
    if (i !== -1) problems.push(describeMismatch(`different value at ${new Date(s.points[i][0] * 1000).toISOString()} for ${JSON.stringify(s.labels)}`, s.points[i], p.points[i]))
  }
  return problems
}

async function outcome<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: MetricsSourceError }> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    if (!(error instanceof MetricsSourceError)) throw error
    return { ok: false, error }
  }
}

describe.each(SCENARIOS.map((scenario) => ({ id: scenario.id, scenario })))('PromQL parity with Prometheus 2 on the $id scenario', ({ scenario }) => {
  const series = generateSeries(scenario, end)
  const start = scenarioStart(scenario, end)
  const demo: MetricsSource = new DemoMetricsSource(new GeneratedSeriesStore(series), { defaultSubqueryStepSeconds: 15 })
  let server: RunningServer
  let prometheus: PrometheusSource

  beforeAll(async () => {
    server = await startBackfilledPrometheus({ series })
    prometheus = new PrometheusSource({ url: server.url })
  }, 120_000)

  afterAll(() => server?.stop())

  const at = (minute: number) => new Date(start.getTime() + minute * MINUTE)
  const ranges = [
    { start: at(0), end: at(360), stepSeconds: 60 },
    { start: new Date(at(0).getTime() + 17_000), end: at(370), stepSeconds: 137 },
  ]

  it.each(queries)('%s', async (query) => {
    const problems: string[] = []
    for (const minute of INSTANT_MINUTES) {
      const [d, p] = [await outcome(() => demo.queryInstant(query, at(minute))), await outcome(() => prometheus.queryInstant(query, at(minute)))]
      if (!d.ok && UNSUPPORTED.test(d.error.message)) {
        expect(knownUnsupported.has(query), `the demo refuses a query not listed in KNOWN_UNSUPPORTED: ${d.error.message}`).toBe(true)
        return
      }
      if (!d.ok || !p.ok) {
        problems.push(`at minute ${minute}: demo ${d.ok ? 'answered' : `refused (${d.error.message})`}, Prometheus ${p.ok ? 'answered' : `refused (${p.error.message})`}`)
        continue
      }
      answered.set(query, (answered.get(query) ?? 0) + p.value.length)
      problems.push(...compareInstant(d.value, p.value).map((m) => `at minute ${minute}: ${m}`))
      if (/^sort(_desc)?\(/.test(query)) {
        const values = (r: InstantSample[]) => r.map((s) => s.value[1])
        if (!values(d.value).every((v, i) => sameValue(v, values(p.value)[i]))) problems.push(describeMismatch(`at minute ${minute}: a different order`, values(d.value), values(p.value)))
      }
    }
    for (const range of ranges) {
      const [d, p] = [await outcome(() => demo.queryRange(query, range)), await outcome(() => prometheus.queryRange(query, range))]
      if (!d.ok || !p.ok) {
        problems.push(`range ${range.stepSeconds}s: demo ${d.ok ? 'answered' : `refused (${d.error.message})`}, Prometheus ${p.ok ? 'answered' : `refused (${p.error.message})`}`)
        continue
      }
      problems.push(...compareRange(d.value, p.value).map((m) => `range ${range.stepSeconds}s: ${m}`))
    }
    expect(knownUnsupported.has(query), 'a query listed in KNOWN_UNSUPPORTED now works: remove it from the list').toBe(false)
    expect(problems.slice(0, 5).join('\n')).toBe('')
  })

  it.each(REFUSED_QUERIES)('refuses %s, as Prometheus does', async (query) => {
    const d = await outcome(() => demo.queryInstant(query, at(330)))
    const p = await outcome(() => prometheus.queryInstant(query, at(330)))
    expect(p.ok).toBe(false)
    expect(d.ok).toBe(false)
    if (!d.ok) expect(d.error.kind).toBe('query')
  })

  it('finds the same series as the series API, including pods that went silent', async () => {
    for (const [from, to] of [[0, 360], [250, 260], [200, 239], [316, 320]]) {
      for (const matchers of [['kube_node_status_allocatable{resource="nvidia_com_gpu"}'], ['vllm:num_requests_running', 'kube_pod_info{pod=~".*-0"}']]) {
        const range = { start: at(from), end: at(to) }
        const sort = (sets: Record<string, string>[]) => sets.map(labelsKey).sort()
        expect(sort(await demo.series(matchers, range)), `${matchers} over minutes ${from}-${to}`).toEqual(sort(await prometheus.series(matchers, range)))
      }
    }
  })
})

describe('the parity queries', () => {
  it('each return data from Prometheus in at least one scenario', () => {
    expect(FIREBREAK_QUERIES.filter((q) => !answered.get(q))).toEqual([])
  })
})

describe('the known-unsupported list', () => {
  it.each(KNOWN_UNSUPPORTED.length ? KNOWN_UNSUPPORTED : [{ query: 'vector(1)', reason: 'none listed' }])('$query: $reason', async ({ query }) => {
    if (!KNOWN_UNSUPPORTED.length) return
    const demo = new DemoMetricsSource(new GeneratedSeriesStore([]))
    await expect(demo.queryInstant(query, end)).rejects.toThrow(UNSUPPORTED)
  })

  it('counts every runbook block', () => {
    expect(runbook.length).toBeGreaterThan(50)
  })
})
