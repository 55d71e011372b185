/**
 * How fast the demo answers a 30-day range query over a whole demo fleet (four stories on four placements), from a
 * cold store (every counter integrated from its origin 40 days back) and a warm one. Not a test: timings vary by
 * machine. Run: npx tsx lib/telemetry/demo/measure-fleet-query.ts
 */
import { chooseStep } from '../metrics-source'
import { baseline, gpuOom, slowModelLoading, tokenBudgetExhaustion, type Placement } from '../scenarios/library'
import { DemoMetricsSource } from './demo-source'
import { ScenarioStore } from './store'

const place = (pipeline: string, model: string, nodes: number[]): Placement => ({
  pipeline,
  model,
  namespace: 'inference',
  nodes: nodes.map((n) => `gpu-node-${n}`),
  gpusPerNode: 2,
  requestsPerSecond: 12,
})

const now = new Date()
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000)
const fleet = [
  { scenario: gpuOom(place('rag-chat', 'llama-3-70b-instruct', [1, 2, 3])), startsAt: hoursAgo(5) },
  { scenario: tokenBudgetExhaustion(place('summarizer', 'mistral-7b-instruct', [4, 5])), startsAt: hoursAgo(5.5) },
  { scenario: slowModelLoading(place('code-assist', 'qwen2.5-coder-32b', [6, 7, 8])), startsAt: hoursAgo(4.5) },
  { scenario: baseline(place('search-rerank', 'bge-reranker-large', [9, 10])), startsAt: hoursAgo(6) },
]

const QUERIES = [
  'count({__name__=~".+"})',
  'sum by (pipeline) (rate(http_requests_total{job="llm-gateway",code=~"5.."}[5m])) / sum by (pipeline) (rate(http_requests_total{job="llm-gateway"}[5m]))',
  'histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket[5m])))',
  'count(last_over_time({__name__=~".+"}[5m]))',
]

async function main() {
  const source = DemoMetricsSource.forScenarios(fleet, { now: () => now })
  const series = await source.series(['{__name__=~".+"}'], { start: hoursAgo(1), end: now })
  const counters = fleet.flatMap((p) => p.scenario.series).filter((s) => s.kind === 'counter').length
  console.log(`demo fleet: ${series.length} series live in the last hour (${fleet.flatMap((p) => p.scenario.series).length} defined, ${counters} counters)`)
  const range = { start: new Date(now.getTime() - 30 * 86_400_000), end: now, stepSeconds: chooseStep(new Date(now.getTime() - 30 * 86_400_000), now) }
  console.log(`30-day range, step ${range.stepSeconds} s (${Math.floor((range.end.getTime() - range.start.getTime()) / 1000 / range.stepSeconds) + 1} points per series)`)
  for (const query of QUERIES) {
    // cold: a fresh store, whose counters are integrated from their origin on first use
    const fresh = DemoMetricsSource.forScenarios(fleet, { now: () => now })
    const times: string[] = []
    let found = 0
    for (const s of [fresh, fresh]) {
      const started = performance.now()
      found = (await s.queryRange(query, range)).length
      times.push(`${(performance.now() - started).toFixed(0).padStart(5)} ms`)
    }
    console.log(`cold ${times[0]}, warm ${times[1]}  ${String(found).padStart(3)} series  ${query}`)
  }
  const store = new ScenarioStore(fleet, { now: () => now })
  let started = performance.now()
  await store.warmUp()
  console.log(`warm-up of every counter (40 days, in the background): ${(performance.now() - started).toFixed(0)} ms`)
  started = performance.now()
  await new DemoMetricsSource(store).queryRange(QUERIES[0], range)
  console.log(`after warm-up ${(performance.now() - started).toFixed(0).padStart(5)} ms  ${QUERIES[0]}`)
  const fine = { ...range, start: new Date(now.getTime() - 86_400_000), stepSeconds: 60 }
  started = performance.now()
  await source.queryRange(QUERIES[1], fine)
  console.log(`warm ${(performance.now() - started).toFixed(0).padStart(5)} ms  one day at a 60 s step: ${QUERIES[1]}`)
}

void main()
