/**
 * A 30-day SLO from recorded series against the raw query. 30 days of the gateway's http_requests_total (four
 * pipelines, two incidents) are backfilled; promtool then records slo:sli_error:ratio_rate5m over the whole month and
 * slo:sli_error:ratio_rate30d for its last hour, from the rules lib/slo/rules.ts exports, and Prometheus is restarted
 * on the new blocks. The 30-day error ratio is then read three ways, several times each.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse, stringify } from 'yaml'
import type { SloDefinition } from '@/lib/slo/openslo'
import { errorRatioQuery, prometheusRulesFor, slothId } from '@/lib/slo/rules'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { gatewayMonth, generate, writeOpenMetrics } from './data'
import { backfillOpenMetrics, backfillRules, BenchPrometheus } from './prometheus'
import { ms, note, percentile, progress, report, section, sleep, times } from './report'

/** The gateway availability SLO the rules tests use: 5xx and 429 are errors, 99.9 % over 30 days. */
export const GATEWAY_SLO: SloDefinition = {
  name: 'requests-availability',
  displayName: 'LLM gateway availability',
  service: 'llm-gateway',
  objective: 0.999,
  periodDays: 30,
  sli: {
    kind: 'ratio',
    badQuery: 'sum(rate(http_requests_total{job="llm-gateway",code=~"(5..|429)"}[{{.window}}]))',
    totalQuery: 'sum(rate(http_requests_total{job="llm-gateway"}[{{.window}}]))',
  },
}

const SAMPLE_STEP_SECONDS = 60 // the raw counters' sample interval (a 60 s scrape)
const EVAL_INTERVAL = '60s' // how often the recording rules are evaluated when backfilled
const REPETITIONS = 9

interface Rule {
  record?: string
  alert?: string
}

/** A rule file holding only the named recording rules, taken from what prometheusRulesFor exports. */
function rulesFile(slo: SloDefinition, records: string[]): string {
  const exported = parse(prometheusRulesFor(slo)) as { groups: { name: string; rules: Rule[] }[] }
  const rules = exported.groups.flatMap((g) => g.rules).filter((r) => r.record && records.includes(r.record))
  if (rules.length !== records.length) throw new Error(`prometheusRulesFor no longer exports ${records.join(', ')}`)
  return stringify({ groups: [{ name: `bench-${slothId(slo)}`, rules }] }, { lineWidth: 0 })
}

/** The month's error ratio straight from the generated counters: errors added / requests added. */
function generatedRatio(series: ReturnType<typeof generate>): number {
  let bad = 0
  let total = 0
  for (const s of series) {
    const added = s.points.at(-1)![1] - s.points[0][1]
    total += added
    if (/^(5..|429)$/.test(s.labels.code)) bad += added
  }
  return bad / total
}

export async function slo(dir: string) {
  section('30-day SLO error ratio: recorded series against the raw query (real Prometheus, promtool backfill)')
  const prometheus = new BenchPrometheus(dir)
  try {
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000)
    const month = gatewayMonth()
    const series = generate(month, end, SAMPLE_STEP_SECONDS)
    const start = new Date(end.getTime() - month.durationMinutes * 60_000)
    const file = path.join(dir, 'gateway.om')
    const samples = writeOpenMetrics(file, series)
    let t = performance.now()
    await backfillOpenMetrics(file, prometheus.dataDir)
    fs.rmSync(file)
    const rawSeconds = (performance.now() - t) / 1000
    await prometheus.start()
    const rawBlocks = (await prometheus.tsdbState()).blocks
    progress(`raw data: ${series.length} series, ${(samples / 1e6).toFixed(2)} M samples in ${rawSeconds.toFixed(1)} s`)

    // pass 1: the 5-minute error ratio over the whole month
    const fiveMinutes = path.join(dir, 'rules-5m.yml')
    fs.writeFileSync(fiveMinutes, rulesFile(GATEWAY_SLO, ['slo:sli_error:ratio_rate5m']))
    t = performance.now()
    await backfillRules({ rulesFile: fiveMinutes, url: prometheus.url, start, end, evalInterval: EVAL_INTERVAL, outputDir: path.join(dir, 'blocks-5m') })
    const fiveMinuteSeconds = (performance.now() - t) / 1000
    await prometheus.addBlocks(path.join(dir, 'blocks-5m'))
    // pass 2: the 30-day ratio reads the 5-minute series, so it is recorded once those are in; its last hour is enough
    const month30d = path.join(dir, 'rules-30d.yml')
    fs.writeFileSync(month30d, rulesFile(GATEWAY_SLO, ['slo:sli_error:ratio_rate30d']))
    t = performance.now()
    await backfillRules({ rulesFile: month30d, url: prometheus.url, start: new Date(end.getTime() - 3_600_000), end, evalInterval: EVAL_INTERVAL, outputDir: path.join(dir, 'blocks-30d') })
    const thirtyDaySeconds = (performance.now() - t) / 1000
    await prometheus.addBlocks(path.join(dir, 'blocks-30d'))
    const restartedAt = performance.now()
    const loaded = (await prometheus.tsdbState()).blocks

    // Prometheus merges the overlapping rule blocks into its own on its first compaction (a minute after start):
    // time the queries on the merged blocks, as a long-running server holds them
    progress('waiting for Prometheus to compact the rule blocks into its own (about a minute)')
    let state = await prometheus.tsdbState()
    while ((state.compactions === 0 || state.blocks > rawBlocks) && performance.now() - restartedAt < 150_000) {
      await sleep(1_000)
      state = await prometheus.tsdbState()
    }
    const compacted = state.compactions > 0 && state.blocks <= rawBlocks
    await sleep(1_000)

    const source = new PrometheusSource({ url: prometheus.url, timeoutMs: 60_000 })
    const sel = `{sloth_id="${slothId(GATEWAY_SLO)}"}`
    const ways = [
      { name: 'raw', query: errorRatioQuery(GATEWAY_SLO, '30d').replace(/\n/g, ' ') },
      { name: '5m', query: `sum_over_time(slo:sli_error:ratio_rate5m${sel}[30d]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m${sel}[30d])` },
      { name: '30d', query: `slo:sli_error:ratio_rate30d${sel}` },
    ]
    const timings = new Map(ways.map((w) => [w.name, [] as number[]]))
    const values = new Map<string, number>()
    for (let i = 0; i <= REPETITIONS; i++) {
      for (const way of ways) {
        const started = performance.now()
        const result = await source.queryInstant(way.query, end)
        const elapsed = performance.now() - started
        if (result.length !== 1) throw new Error(`${way.name}: expected one series, got ${result.length}`)
        values.set(way.name, result[0].value[1])
        if (i > 0) timings.get(way.name)!.push(elapsed) // the first round only warms up
      }
    }
    const p50 = (name: string) => percentile(timings.get(name)!, 50)
    const max = (name: string) => Math.max(...timings.get(name)!)
    const [raw, fromFive, recorded] = [values.get('raw')!, values.get('5m')!, values.get('30d')!]
    const generated = generatedRatio(series)

    report('raw 30-day query, p50 / max', `${ms(p50('raw'))} / ${ms(max('raw'))}`, undefined, `sum(rate(bad[30d])) / sum(rate(total[30d])) over ${series.length} raw series, instant query at the month's end, ${REPETITIONS} runs`)
    report('from the 5m recorded series, p50 / max', `${ms(p50('5m'))} / ${ms(max('5m'))}`, undefined, "sum_over_time / count_over_time of slo:sli_error:ratio_rate5m over 30 d (what Sloth's 30d rule evaluates)")
    report('recorded slo:sli_error:ratio_rate30d, p50 / max', `${ms(p50('30d'))} / ${ms(max('30d'))}`, undefined, 'the 30-day ratio read back as one recorded sample')
    report('  raw / 5m-recorded time at p50', times(p50('raw') / p50('5m')), undefined, 'how many times longer the raw query takes than the month of recorded 5-minute ratios')
    report('  raw / 30d-recorded time at p50', times(p50('raw') / p50('30d')), undefined, 'how many times longer the raw query takes than reading the recorded 30-day ratio')
    report('30-day error ratio: raw', raw.toPrecision(6), undefined, `the generated counters say ${generated.toPrecision(6)} (errors / requests added over the month)`)
    report('30-day error ratio: 5m recorded / 30d recorded', `${fromFive.toPrecision(6)} / ${recorded.toPrecision(6)}`)
    const worst = Math.max(Math.abs(fromFive - raw), Math.abs(recorded - raw)) / raw
    report('  largest relative difference from raw', `${(worst * 100).toFixed(3)} %`, '< 1 %', 'Sloth averages the 5-minute ratios; with steady traffic that equals the ratio of the month\'s totals')
    note(`${(samples / 1e6).toFixed(2)} M raw samples (${SAMPLE_STEP_SECONDS} s apart) backfilled in ${rawSeconds.toFixed(1)} s; rules evaluated every ${EVAL_INTERVAL}: 5m ratio over 30 days in ${fiveMinuteSeconds.toFixed(1)} s, 30d ratio for the last hour in ${thirtyDaySeconds.toFixed(1)} s`)
    note(
      compacted
        ? `timed after Prometheus compacted the ${loaded} blocks (raw and promtool's 2 h rule blocks) into ${state.blocks}, as a long-running server holds them`
        : `timed on ${state.blocks} blocks: Prometheus had not compacted promtool's 2 h rule blocks into its own within 150 s`,
    )
  } finally {
    await prometheus.stop()
  }
}
