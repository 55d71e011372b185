/**
 * A scenario backfilled into a real Prometheus (promtool tsdb create-blocks-from openmetrics) answers PromQL with the
 * values computed independently from the generated samples, through Firebreak's own Prometheus adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import { PrometheusSource } from '../prometheus'
import { GPU_OOM, SLOW_MODEL_LOADING } from './library'
import { generateSeries } from './model'

describe('a backfilled scenario in a real Prometheus', () => {
  // end on a whole hour an hour ago: inside the retention, and in the past so the TSDB head does not overlap
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const series = generateSeries(GPU_OOM, end)
  let prometheus: RunningServer
  let source: PrometheusSource

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus({ series })
    source = new PrometheusSource({ url: prometheus.url })
  }, 60_000)

  afterAll(() => prometheus?.stop())

  it('returns the framebuffer share the scenario generated for the OOM node', async () => {
    const at = new Date(end.getTime() - 30 * 60_000) // minute 330: deep in the incident
    const result = await source.queryRange('DCGM_FI_DEV_FB_USED{gpu="0"} / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)', { start: at, end: at, stepSeconds: 60 })
    const byNode = Object.fromEntries(result.map((s) => [s.labels.Hostname, s.points[0][1]]))
    const expected = (node: string) => {
      const used = series.find((s) => s.metric === 'DCGM_FI_DEV_FB_USED' && s.labels.Hostname === node && s.labels.gpu === '0')!.points.find(([t]) => t === at.getTime() / 1000)![1]
      const free = series.find((s) => s.metric === 'DCGM_FI_DEV_FB_FREE' && s.labels.Hostname === node && s.labels.gpu === '0')!.points.find(([t]) => t === at.getTime() / 1000)![1]
      return used / (used + free)
    }
    expect(byNode['gpu-node-2']).toBeCloseTo(expected('gpu-node-2'), 9)
    expect(byNode['gpu-node-2']).toBeGreaterThan(0.97)
    expect(byNode['gpu-node-1']).toBeCloseTo(expected('gpu-node-1'), 9)
    expect(byNode['gpu-node-1']).toBeLessThan(0.95)
  })

  it('computes the preemption rate from the generated counter', async () => {
    const at = new Date(end.getTime() - 30 * 60_000)
    const [node2] = await source.queryRange('rate(vllm:num_preemptions_total{instance="gpu-node-2:8000"}[5m])', { start: at, end: at, stepSeconds: 60 })
    const counter = series.find((s) => s.metric === 'vllm:num_preemptions_total' && s.labels.instance === 'gpu-node-2:8000')!.points
    const i = counter.findIndex(([t]) => t === at.getTime() / 1000)
    // rate() over 5 samples a minute apart: (last - first) / 240 s, extrapolated to the 300 s window by Prometheus
    // when the samples cover it; with a constant rate both give the generator's 0.8 per second
    const independent = (counter[i][1] - counter[i - 4][1]) / 240
    expect(node2.points[0][1]).toBeCloseTo(independent, 6)
    expect(independent).toBeCloseTo(0.8, 6)
  })

  it('answers instant queries and series lookups, and reports a bad query as the fault of the query', async () => {
    const at = new Date(end.getTime() - 30 * 60_000)
    const [waiting] = await source.queryInstant('sum(vllm:num_requests_waiting{instance="gpu-node-2:8000"})', at)
    const generated = series.find((s) => s.metric === 'vllm:num_requests_waiting' && s.labels.instance === 'gpu-node-2:8000')!.points.find(([t]) => t === at.getTime() / 1000)![1]
    expect(waiting.value).toEqual([at.getTime() / 1000, generated])
    const [scalar] = await source.queryInstant('scalar(count(DCGM_FI_DEV_GPU_UTIL))', at)
    expect(scalar).toEqual({ labels: {}, value: [at.getTime() / 1000, 6] })
    const nodes = await source.series(['kube_node_status_allocatable{resource="nvidia_com_gpu"}'], { start: new Date(end.getTime() - 3_600_000), end })
    expect(nodes.map((l) => l.node).sort()).toEqual(['gpu-node-1', 'gpu-node-2', 'gpu-node-3'])
    await expect(source.queryInstant('sum(rate(vllm:num_preemptions_total[5m])', at)).rejects.toMatchObject({ kind: 'query' })
  })
})

describe('a scenario where containers go silent', () => {
  it('leaves a gap in the series, so Prometheus sees the container stop emitting', () => {
    const generated = generateSeries(SLOW_MODEL_LOADING, new Date('2026-11-22T06:00:00Z'))
    const oldPod = generated.find((s) => s.metric === 'vllm:num_requests_running' && s.labels.pod === 'rag-chat-7d9f6c-0')!
    const newPod = generated.find((s) => s.metric === 'vllm:num_requests_running' && s.labels.pod === 'rag-chat-5b8e21-0')!
    const start = Date.parse('2026-11-22T00:00:00Z') / 1000
    // the old pod emits until the deploy at minute 240; the new one only once loaded, at minute 315
    expect(oldPod.points.at(-1)![0]).toBe(start + 239 * 60)
    expect(newPod.points[0][0]).toBe(start + 315 * 60)
  })
})
