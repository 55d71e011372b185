/**
 * Live panels against a real Prometheus holding days of a fleet's series (four pipelines, ~500 series, 60 s samples):
 *   amplification  50 viewers poll one incident's 4 panels every 15 s for 60 s; how many queries reach Prometheus
 *   overhead       the panel API's latency against the same PromQL sent to Prometheus directly, cold and cached
 */
import fs from 'node:fs'
import path from 'node:path'
import { chooseStep } from '@/lib/telemetry/metrics-source'
import { generate, panelFleet, writeOpenMetrics } from './data'
import { backfillOpenMetrics, BenchPrometheus, type QueryLogEntry } from './prometheus'
import { ms, note, percentile, progress, report, section, sleep, times } from './report'

/** The GPU OOM runbook's panels, as an incident room shows them. */
export const PANEL_QUERIES = [
  'max by (Hostname, gpu) (max_over_time(DCGM_FI_DEV_FB_USED[5m]) / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))',
  'max by (model_name, instance) (vllm:kv_cache_usage_perc)',
  'sum by (model_name, instance) (rate(vllm:num_preemptions_total[5m]))',
  'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
]
const PANEL_RANGE_MS = 3 * 3_600_000 // the panel's default "until now" window
const REFRESH_MS = 15_000 // the panel's refetchInterval and the app's cache lifetime
const HISTORY_DAYS = 3

/** A Prometheus holding the panel fleet's history, ending now (the GPU OOM story on rag-chat is unfolding). */
export async function startPanelPrometheus(dir: string): Promise<BenchPrometheus> {
  const prometheus = new BenchPrometheus(dir)
  const end = new Date()
  const series = generate(panelFleet(HISTORY_DAYS), end, 60)
  const file = path.join(dir, 'fleet.om')
  const samples = writeOpenMetrics(file, series)
  await backfillOpenMetrics(file, prometheus.dataDir)
  fs.rmSync(file)
  await prometheus.start()
  progress(`Prometheus ${prometheus.url}: ${series.length} series, ${(samples / 1e6).toFixed(1)} M samples over ${HISTORY_DAYS} days`)
  return prometheus
}

interface Timed {
  ms: number
  status: number
}

async function timedJson(input: string, init?: RequestInit): Promise<Timed> {
  const started = performance.now()
  const response = await fetch(input, init)
  await response.json()
  return { ms: performance.now() - started, status: response.status }
}

function panelUrl(appUrl: string, query: string, start: Date, end: Date): string {
  return `${appUrl}/api/metrics/query_range?${new URLSearchParams({ query, start: start.toISOString(), end: end.toISOString() })}`
}

/** What the route sends upstream for [start, end] (app/api/metrics/query_range/route.ts): the step, the start aligned to end. */
function upstreamRange(start: Date, end: Date) {
  const step = chooseStep(start, end)
  const steps = Math.floor((end.getTime() - start.getTime()) / 1000 / step)
  return { start: new Date(end.getTime() - steps * step * 1000), end, step }
}

/** The same request PrometheusSource makes (a form POST), straight to Prometheus. */
function direct(prometheusUrl: string, query: string, range: { start: Date; end: Date; step: number }): Promise<Timed> {
  const body = new URLSearchParams({ query, start: String(range.start.getTime() / 1000), end: String(range.end.getTime() / 1000), step: String(range.step), timeout: '10s' })
  return timedJson(`${prometheusUrl}/api/v1/query_range`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
}

export interface PanelsContext {
  appUrl: string
  cookie: string
  prometheus: BenchPrometheus
}

export async function amplification({ appUrl, cookie, prometheus }: PanelsContext) {
  const VIEWERS = 50
  const DURATION_MS = 60_000
  section(`Amplification: ${VIEWERS} viewers of one incident's ${PANEL_QUERIES.length} live panels for ${DURATION_MS / 1000} s (real Prometheus)`)
  // open the route once (not a live range, so it leaves nothing in the cache the viewers will use)
  const past = new Date(Date.now() - 86_400_000)
  await timedJson(panelUrl(appUrl, PANEL_QUERIES[0], new Date(past.getTime() - PANEL_RANGE_MS), past), { headers: { cookie } })

  // start just after a refresh boundary, so 60 s of polling spans exactly four 15 s intervals
  const t0 = Math.ceil((Date.now() + 1_000) / REFRESH_MS) * REFRESH_MS + 250
  await sleep(t0 - Date.now() - 300)
  const counterBefore = await prometheus.selfMetric('prometheus_http_requests_total', { handler: '/api/v1/query_range' })
  const requests: { sentAt: number; ms: number; status: number }[] = []
  progress(`${VIEWERS} viewers polling for ${DURATION_MS / 1000} s`)
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, viewer) => {
      // people open the incident at different moments: spread the viewers over the first 14 s
      const offset = Math.round((viewer * (REFRESH_MS - 1_000)) / VIEWERS)
      for (let tick = 0; offset + tick * REFRESH_MS < DURATION_MS; tick++) {
        const due = t0 + offset + tick * REFRESH_MS
        if (due > Date.now()) await sleep(due - Date.now())
        // each panel asks for its own "until now" window, as PromqlBlock's resolveRange does
        await Promise.all(
          PANEL_QUERIES.map(async (query) => {
            const now = Date.now()
            const result = await timedJson(panelUrl(appUrl, query, new Date(now - PANEL_RANGE_MS), new Date(now)), { headers: { cookie } }).catch(() => ({ ms: 0, status: 0 }))
            requests.push({ sentAt: now, ...result })
          }),
        )
      }
    }),
  )
  await sleep(200)
  const counterAfter = await prometheus.selfMetric('prometheus_http_requests_total', { handler: '/api/v1/query_range' })
  const upstream = counterAfter - counterBefore
  const intervals = new Set(requests.map((r) => Math.floor(r.sentAt / REFRESH_MS))).size
  const served = requests.filter((r) => r.status === 200)
  const logged = prometheus.queryLog().filter((e) => e.path === '/api/v1/query_range' && e.at >= t0 - 1_000)
  const perKey = new Map<string, number>()
  for (const e of logged) perKey.set(`${e.end}|${e.query}`, (perKey.get(`${e.end}|${e.query}`) ?? 0) + 1)
  const distinct = PANEL_QUERIES.length
  report(
    'upstream queries per panel query per refresh',
    (upstream / (distinct * intervals)).toFixed(2),
    `<= 1; naive ${(requests.length / (distinct * intervals)).toFixed(0)}`,
    `range queries Prometheus counted (prometheus_http_requests_total) / (${distinct} panel queries x ${intervals} refresh intervals of 15 s)`,
  )
  report('  upstream range queries in all', String(upstream), undefined, `Prometheus's own counter over the run; its query log shows ${logged.length}, for ${perKey.size} distinct (query, end) pairs, at most ${Math.max(0, ...perKey.values())} each`)
  report(
    'viewer panel requests served',
    `${served.length} of ${requests.length}`,
    'all',
    `panel API requests the ${VIEWERS} concurrent pollers sent (${distinct} panels every 15 s each) and got a 200 for`,
  )
  report('  viewer request p50', ms(percentile(served.map((r) => r.ms), 50)))
  report('  viewer request p95', ms(percentile(served.map((r) => r.ms), 95)), undefined, 'latency a viewer saw for one panel refresh, answered from the shared cache or the one upstream query')
}

export async function overhead({ appUrl, cookie, prometheus }: PanelsContext) {
  const COLD_SAMPLES = 40
  const WARM_PER_QUERY = 10
  section(`Overhead: the panel API against the same PromQL sent to Prometheus directly (${PANEL_QUERIES.length} panel queries, 3 h ranges)`)
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000
  // 3 h windows ending in the past: not "live", so the route keeps their ends and each one is new to the cache
  const pastRange = (minutesAgo: number, seconds = 0) => {
    const end = new Date(base - minutesAgo * 60_000 - seconds * 1000)
    return { start: new Date(end.getTime() - PANEL_RANGE_MS), end }
  }
  const headers = { cookie }
  // warm both paths up (connections, JIT) on ranges used nowhere else
  for (let i = 0; i < 24; i++) {
    const r = pastRange(500 + i)
    await timedJson(panelUrl(appUrl, PANEL_QUERIES[i % 4], r.start, r.end), { headers })
    await direct(prometheus.url, PANEL_QUERIES[i % 4], upstreamRange(r.start, r.end))
  }

  const since = Date.now()
  const cold: number[] = []
  const coldDirect: number[] = []
  const expected: { query: string; start: number; end: number; step: number }[] = []
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const query = PANEL_QUERIES[i % PANEL_QUERIES.length]
    const r = pastRange(i + 1, 7)
    const upstream = upstreamRange(r.start, r.end)
    expected.push({ query, start: upstream.start.getTime() / 1000, end: upstream.end.getTime() / 1000, step: upstream.step })
    // alternate which path goes first, so neither always finds the other's chunks freshly decoded
    const viaApp = () => timedJson(panelUrl(appUrl, query, r.start, r.end), { headers })
    const viaPrometheus = () => direct(prometheus.url, query, upstream)
    let app: Timed
    let d: Timed
    if (i % 2 === 0) {
      app = await viaApp()
      d = await viaPrometheus()
    } else {
      d = await viaPrometheus()
      app = await viaApp()
    }
    if (app.status !== 200 || d.status !== 200) throw new Error(`cold sample ${i}: app ${app.status}, Prometheus ${d.status}`)
    cold.push(app.ms)
    coldDirect.push(d.ms)
  }

  const warmSince = Date.now()
  const warm: number[] = []
  const warmDirect: number[] = []
  for (const [q, query] of PANEL_QUERIES.entries()) {
    const r = pastRange(90 + q)
    const upstream = upstreamRange(r.start, r.end)
    await timedJson(panelUrl(appUrl, query, r.start, r.end), { headers }) // the first viewer pays the cold query
    for (let i = 0; i < WARM_PER_QUERY; i++) {
      const app = await timedJson(panelUrl(appUrl, query, r.start, r.end), { headers })
      const d = await direct(prometheus.url, query, upstream)
      if (app.status !== 200 || d.status !== 200) throw new Error(`warm sample: app ${app.status}, Prometheus ${d.status}`)
      warm.push(app.ms)
      warmDirect.push(d.ms)
    }
  }

  // what any signed-in API request costs here (session, user lookup): the least a cached panel can take
  const floor: number[] = []
  for (let i = 0; i < 20; i++) floor.push((await timedJson(`${appUrl}/api/me`, { headers })).ms)

  // the app's upstream queries must be the very queries sent directly (same PromQL, start, end, step)
  const allLogged = prometheus.queryLog().filter((e) => e.path === '/api/v1/query_range')
  const log: QueryLogEntry[] = allLogged.filter((e) => e.at >= since)
  // during the warm part Prometheus saw each query once from the app (the first viewer) and once per direct request
  const warmFromApp = allLogged.filter((e) => e.at >= warmSince).length - PANEL_QUERIES.length * WARM_PER_QUERY
  const same = (e: QueryLogEntry, x: (typeof expected)[number]) => e.query === x.query && e.start === x.start && e.end === x.end && e.step === x.step
  const matched = expected.filter((x) => log.filter((e) => same(e, x)).length === 2).length
  const samples = percentile(log.map((e) => e.samples), 50)
  const evalMs = percentile(log.map((e) => e.evalSeconds * 1000), 50)

  const [c50, c95, d50, d95] = [percentile(cold, 50), percentile(cold, 95), percentile(coldDirect, 50), percentile(coldDirect, 95)]
  const [w50, w95, wd50, wd95] = [percentile(warm, 50), percentile(warm, 95), percentile(warmDirect, 50), percentile(warmDirect, 95)]
  report('Prometheus directly, p50 / p95', `${ms(d50)} / ${ms(d95)}`, undefined, `the ${COLD_SAMPLES} cold queries' PromQL, start, end and step POSTed straight to /api/v1/query_range (fetch + JSON parse)`)
  report('panel API cold (cache miss), p50 / p95', `${ms(c50)} / ${ms(c95)}`, undefined, 'GET /api/metrics/query_range with a session, for a range the cache has not seen')
  report('  cold / direct at p50', times(c50 / d50), '<= 1.2x', "Firebreak's cost on top of Prometheus when it has to ask (session, validation, reshaping the result)")
  report('  cold / direct at p95', times(c95 / d95), '<= 1.2x')
  report('panel API warm (cached), p50 / p95', `${ms(w50)} / ${ms(w95)}`, undefined, `the same 3 h panel asked again within 15 s, ${WARM_PER_QUERY} times for each of the ${PANEL_QUERIES.length} queries`)
  report('  direct / warm at p50', times(wd50 / w50), '>= 10x', `how much faster a cached panel answers than Prometheus does for it (direct p50 ${ms(wd50)}, p95 ${ms(wd95)})`)
  report('  direct / warm at p95', times(wd95 / w95), '>= 10x')
  report('  floor: signed-in GET /api/me, p50', ms(percentile(floor, 50)), undefined, 'what any signed-in API request costs here (session cookie, user read from PostgreSQL): the least a cached panel can take')
  note(`each query read a median of ${Math.round(samples).toLocaleString('en')} samples and Prometheus evaluated it in ${ms(evalMs)} (query log); ${matched} of ${COLD_SAMPLES} cold app queries reached Prometheus exactly as sent directly; the warm part's ${PANEL_QUERIES.length} first requests and ${PANEL_QUERIES.length * WARM_PER_QUERY} cached ones sent it ${warmFromApp} queries`)
}
