/**
 * The weekly review's SLO data (lib/review/slo-review.ts: compliance, budgets, charts and incident costs for a week and
 * the week before) from recorded series against raw queries. 30 days of the gateway's http_requests_total are
 * backfilled; promtool records the 5-minute ratio over the month, the 1-hour one over the two weeks, and the 30-day ratio around both
 * weeks' ends, from the rules lib/slo/rules.ts exports; Prometheus then holds them as a team's would. The same review
 * is loaded with the recorded series visible and hidden (a source whose series lookup finds none reads raw).
 *
 *   npx tsx scripts/bench/review.ts     (alone), or through scripts/bench.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse, stringify } from 'yaml'
import { reviewSlos, type CostedIncident } from '@/lib/review/slo-review'
import type { EvaluableSlo } from '@/lib/slo/evaluate'
import { prometheusRulesFor, slothId } from '@/lib/slo/rules'
import type { MetricsSource } from '@/lib/telemetry/metrics-source'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { gatewayMonth, generate, writeOpenMetrics } from './data'
import { backfillOpenMetrics, backfillRules, BenchPrometheus } from './prometheus'
import { ms, note, percentile, progress, report, section, times } from './report'
import { GATEWAY_SLO } from './slo'

const DAY_MS = 86_400_000
const REPETITIONS = 5
const SLO: EvaluableSlo = { ...GATEWAY_SLO, alerting: 'sre-workbook', minEvents: 0 }

/** The recording rules with these names, as prometheusRulesFor exports them. */
function rulesFile(records: string[]): string {
  const exported = parse(prometheusRulesFor(SLO)) as { groups: { rules: { record?: string }[] }[] }
  const rules = exported.groups.flatMap((g) => g.rules).filter((r) => r.record && records.includes(r.record))
  if (rules.length !== records.length) throw new Error(`prometheusRulesFor no longer exports ${records.join(', ')}`)
  return stringify({ groups: [{ name: `bench-review-${slothId(SLO)}`, rules }] }, { lineWidth: 0 })
}

/** The same backend with its recorded series hidden, so the review reads raw. */
function rawOnly(source: MetricsSource): MetricsSource {
  return { name: source.name, queryRange: (q, r) => source.queryRange(q, r), queryInstant: (q, t) => source.queryInstant(q, t), series: async () => [] }
}

/** Counts the queries a load sends. */
function counting(source: MetricsSource): { source: MetricsSource; count: () => number } {
  let n = 0
  return {
    source: { name: source.name, queryRange: (q, r) => (n++, source.queryRange(q, r)), queryInstant: (q, t) => (n++, source.queryInstant(q, t)), series: (m, r) => (n++, source.series(m, r)) },
    count: () => n,
  }
}

export async function review(dir: string) {
  section('Weekly review SLO data: recorded series against raw queries (real Prometheus, promtool backfill)')
  const prometheus = new BenchPrometheus(dir)
  try {
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000)
    const month = gatewayMonth()
    const series = generate(month, end, 60)
    const file = path.join(dir, 'gateway.om')
    writeOpenMetrics(file, series)
    await backfillOpenMetrics(file, prometheus.dataDir)
    fs.rmSync(file)
    await prometheus.start()
    progress(`raw data: ${series.length} series over 30 days`)

    const current = { start: new Date(end.getTime() - 7 * DAY_MS), end }
    const previous = { start: new Date(end.getTime() - 14 * DAY_MS), end: current.start }
    // the 5-minute ratio over the whole month (the 30-day ratio averages it), the 1-hour one over the two weeks
    const fiveMinutes = path.join(dir, 'rules-5m.yml')
    fs.writeFileSync(fiveMinutes, rulesFile(['slo:sli_error:ratio_rate5m']))
    await backfillRules({ rulesFile: fiveMinutes, url: prometheus.url, start: new Date(end.getTime() - 30 * DAY_MS), end, evalInterval: '60s', outputDir: path.join(dir, 'blocks-5m') })
    await prometheus.addBlocks(path.join(dir, 'blocks-5m'))
    const hour = path.join(dir, 'rules-1h.yml')
    fs.writeFileSync(hour, rulesFile(['slo:sli_error:ratio_rate1h']))
    await backfillRules({ rulesFile: hour, url: prometheus.url, start: previous.start, end, evalInterval: '60s', outputDir: path.join(dir, 'blocks-1h') })
    await prometheus.addBlocks(path.join(dir, 'blocks-1h'))
    const month30d = path.join(dir, 'rules-30d.yml')
    fs.writeFileSync(month30d, rulesFile(['slo:sli_error:ratio_rate30d']))
    for (const [i, at] of [current.end, previous.end].entries()) {
      await backfillRules({ rulesFile: month30d, url: prometheus.url, start: new Date(at.getTime() - 3_600_000), end: at, evalInterval: '60s', outputDir: path.join(dir, `blocks-30d-${i}`) })
      await prometheus.addBlocks(path.join(dir, `blocks-30d-${i}`))
    }
    progress('recorded series backfilled')

    // five one-hour incidents on the gateway in the week: each is costed with a raw query either way
    const incidents: CostedIncident[] = [1, 2, 3, 4, 5].map((d) => ({ number: d, title: `incident ${d}`, severity: 'SEV2', pipeline: SLO.service, startedAt: new Date(current.start.getTime() + d * DAY_MS), mitigatedAt: null, resolvedAt: new Date(current.start.getTime() + d * DAY_MS + 3_600_000) }))
    const direct = new PrometheusSource({ url: prometheus.url, timeoutMs: 60_000 })
    const ways = [
      { name: 'recorded', source: direct },
      { name: 'raw', source: rawOnly(direct) },
    ]
    const timings = new Map(ways.map((w) => [w.name, [] as number[]]))
    const results = new Map<string, Awaited<ReturnType<typeof reviewSlos>>['slos'][number]>()
    const queries = new Map<string, number>()
    for (let i = 0; i <= REPETITIONS; i++) {
      for (const way of ways) {
        const counted = counting(way.source)
        const started = performance.now()
        const result = await reviewSlos(counted.source, [SLO], incidents, { current, previous })
        const elapsed = performance.now() - started
        if (result.slos[0].error) throw new Error(`${way.name}: ${result.slos[0].error}`)
        results.set(way.name, result.slos[0])
        queries.set(way.name, counted.count())
        if (i > 0) timings.get(way.name)!.push(elapsed)
      }
    }
    const p50 = (name: string) => percentile(timings.get(name)!, 50)
    const max = (name: string) => Math.max(...timings.get(name)!)
    const recorded = results.get('recorded')!
    const raw = results.get('raw')!
    if (!recorded.usesRecordedSeries || raw.usesRecordedSeries) throw new Error('the two ways did not read what they should')
    report('review SLO data from recorded series, p50 / max', `${ms(p50('recorded'))} / ${ms(max('recorded'))}`, undefined, `one SLO, a week and the week before, charts and ${incidents.length} incident costs: ${queries.get('recorded')} queries`)
    report('review SLO data from raw queries, p50 / max', `${ms(p50('raw'))} / ${ms(max('raw'))}`, undefined, `the same with the recorded series hidden: ${queries.get('raw')} queries`)
    report('  raw / recorded time at p50', times(p50('raw') / p50('recorded')))
    report('compliance: recorded / raw', `${recorded.compliance?.toFixed(6)} / ${raw.compliance?.toFixed(6)}`, undefined, 'the recorded figure is the mean of 5-minute ratios (Sloth); equal to raw when traffic is steady')
    report('budget remaining: recorded / raw', `${recorded.budgetRemaining?.toFixed(4)} / ${raw.budgetRemaining?.toFixed(4)}`)
    note(`${REPETITIONS} timed runs each after one warm-up, PrometheusSource without the console's 15 s cache, on promtool's blocks before Prometheus compacts them; the charts' budget line reads raw counters either way (lib/slo/evaluate.ts sloCharts)`)
  } finally {
    await prometheus.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-review-'))
  review(dir)
    .catch((error) => {
      process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : error}\n`)
      process.exitCode = 1
    })
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }))
}
