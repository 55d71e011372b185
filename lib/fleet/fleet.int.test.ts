/**
 * The fleet view against a real Prometheus holding a backfilled scenario: the flags name the node or containers the
 * scenario broke and nothing else, and the numbers in the rows are the values computed independently from the
 * generated samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { BASELINE, GPU_OOM, RAG_CHAT, SLOW_MODEL_LOADING } from '@/lib/telemetry/scenarios/library'
import { generateSeries, scenarioStart, type GeneratedSeries } from '@/lib/telemetry/scenarios/model'
import { DEFAULT_FLEET_CONFIG } from './config'
import { loadFleet } from './load'

// end on a whole hour an hour ago: inside the retention, and in the past so the TSDB head does not overlap
const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)

/** The generated sample of one series at one instant: the independent side of every comparison. */
function sampleAt(series: GeneratedSeries[], metric: string, labels: Record<string, string>, at: Date): number {
  const match = series.filter((s) => s.metric === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  expect(match.length, `${metric} ${JSON.stringify(labels)}`).toBeGreaterThan(0)
  return match.reduce((sum, s) => sum + s.points.find(([t]) => t === at.getTime() / 1000)![1], 0)
}

function backfilled(series: GeneratedSeries[]) {
  const state: { prometheus?: RunningServer; source?: PrometheusSource } = {}
  beforeAll(async () => {
    state.prometheus = await startBackfilledPrometheus({ series })
    state.source = new PrometheusSource({ url: state.prometheus.url })
  }, 60_000)
  afterAll(() => state.prometheus?.stop())
  return state
}

describe('the fleet view of GPU OOM on one node', () => {
  // half the fleet on vLLM's old name for the KV cache: gpu-node-2 (the sick one) reports vllm:gpu_cache_usage_perc
  const series = generateSeries(GPU_OOM, end).map((s) =>
    s.metric === 'vllm:kv_cache_usage_perc' && s.labels.instance === 'gpu-node-2:8000' ? { ...s, metric: 'vllm:gpu_cache_usage_perc' } : s,
  )
  const backend = backfilled(series)
  const at = new Date(end.getTime() - 30 * 60_000) // minute 330: deep in the incident

  it('flags gpu-node-2 for GPU memory, KV cache and preemptions, and no other node', async () => {
    const { view, failed } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, at)
    expect(failed.map((f) => f.id)).toEqual([])
    expect(view.flags.length).toBeGreaterThan(0)
    expect(new Set(view.flags.map((f) => f.node))).toEqual(new Set(['gpu-node-2']))
    const kinds = new Set(view.flags.map((f) => f.kind))
    expect(kinds).toContain('gpu-memory')
    expect(kinds).toContain('preemptions')
    expect(kinds).toContain('kv-cache')
    expect(view.flags.find((f) => f.kind === 'gpu-memory')).toMatchObject({ where: 'gpu-node-2 GPU 0', failureClass: 'gpu-oom', threshold: 0.95 })
    expect(view.flags.find((f) => f.kind === 'preemptions')!.value).toBeCloseTo(0.8, 6)
    expect(view.summary).toMatch(/^\d+ flags: gpu-node-2 GPU 0 GPU memory 98 % \(threshold 95 %\)/)
  })

  it('shows the GPU memory, KV cache and waiting requests the scenario generated, under either vLLM metric name', async () => {
    const { view } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, at)
    expect(view.nodes.map((n) => n.node)).toEqual(RAG_CHAT.nodes)
    for (const node of RAG_CHAT.nodes) {
      const row = view.nodes.find((n) => n.node === node)!
      const used = sampleAt(series, 'DCGM_FI_DEV_FB_USED', { Hostname: node }, at)
      const free = sampleAt(series, 'DCGM_FI_DEV_FB_FREE', { Hostname: node }, at)
      expect(row.memoryUsedMiB).toBe(used)
      expect(row.memoryTotalMiB).toBe(used + free)
      expect(row).toMatchObject({ gpusAllocatable: 2, gpusRequested: 1, gpusFree: 1, gpuModels: ['NVIDIA H100 80GB HBM3'] })
      const container = view.containers.find((c) => c.node === node)!
      const kvMetric = node === 'gpu-node-2' ? 'vllm:gpu_cache_usage_perc' : 'vllm:kv_cache_usage_perc'
      expect(container.kvCacheUsage).toBe(sampleAt(series, kvMetric, { instance: `${node}:8000` }, at))
      expect(container.requestsWaiting).toBe(sampleAt(series, 'vllm:num_requests_waiting', { instance: `${node}:8000` }, at))
      expect(container).toMatchObject({ pipeline: 'rag-chat', model: 'llama-3-70b-instruct', gpusRequested: 1, lastOutputAt: at.toISOString() })
    }
    expect(view.containers.find((c) => c.node === 'gpu-node-2')!.kvCacheUsage).toBe(1)
    expect(view.containers.find((c) => c.node === 'gpu-node-2')!.requestsWaiting).toBe(40)
  })

  it('counts the restarts in the window with the reason the container last terminated', async () => {
    const { view } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, at)
    const sick = view.containers.find((c) => c.node === 'gpu-node-2')!
    // restarts at minutes 275 and 302 fall in the hour before minute 330 (the one at 330 lands a minute later)
    expect(sick).toMatchObject({ restarts: 2, restartsInWindow: 2, lastTerminatedReason: 'Error' })
    expect(view.flags.find((f) => f.kind === 'restarts')).toMatchObject({ pod: sick.key, failureClass: 'gpu-oom' })
  })
})

describe('the fleet view of a healthy baseline', () => {
  const series = generateSeries(BASELINE, end)
  const backend = backfilled(series)

  it('raises no flag and says what it cannot show', async () => {
    const { view, failed } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, end)
    expect(failed).toEqual([])
    expect(view.flags).toEqual([])
    expect(view.summary).toBe('No flags: nothing in the fleet crosses a threshold.')
    expect(view.nodes).toHaveLength(3)
    expect(view.containers).toHaveLength(3)
    expect(view.containers.every((c) => c.silence?.seconds === 0)).toBe(true)
    expect(view.missing.some((m) => m.startsWith('No queue metrics'))).toBe(true)
    expect(view.pipelineRows).toEqual([expect.objectContaining({ pipeline: 'rag-chat', queue: null, deadLetter: null, containers: 3 })])
    expect(view.pipelineRows[0].gatewayRequestsPerSecond).toBeCloseTo(36, 6)
  })

  it('filters to one pipeline, and to nothing for a pipeline that does not exist', async () => {
    expect((await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, end, { pipeline: 'rag-chat' })).view.containers).toHaveLength(3)
    const other = (await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, end, { pipeline: 'summarise' })).view
    expect(other.nodes).toEqual([])
    expect(other.containers).toEqual([])
    expect(other.pipelines).toEqual(['rag-chat'])
  })
})

describe('the fleet view of slow model loading', () => {
  const series = generateSeries(SLOW_MODEL_LOADING, end)
  const backend = backfilled(series)
  // minute 270: the new pods appeared at the deploy (minute 240) and have emitted nothing since
  const at = new Date(scenarioStart(SLOW_MODEL_LOADING, end).getTime() + 270 * 60_000)

  it('flags every new rag-chat container as silent while the gateway still sends traffic', async () => {
    const { view, failed } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, at)
    expect(failed).toEqual([])
    expect(view.containers.map((c) => c.pod)).toEqual(['rag-chat-5b8e21-0', 'rag-chat-5b8e21-1', 'rag-chat-5b8e21-2'])
    // their startup-probe restarts are folded into the silence flags: one flag per container
    expect(view.flags.map((f) => f.kind)).toEqual(['silence', 'silence', 'silence'])
    const silent = view.flags.filter((f) => f.kind === 'silence')
    expect(silent.map((f) => f.pod)).toEqual(['inference/rag-chat-5b8e21-0', 'inference/rag-chat-5b8e21-1', 'inference/rag-chat-5b8e21-2'])
    for (const f of silent) {
      expect(f).toMatchObject({ value: 1800, threshold: 120, failureClass: 'slow-model-loading', severity: 'critical' })
      expect(f.text).toMatch(/has emitted nothing since it appeared 30 min ago while the gateway sends it 12\/s \(silent during load: a loading failure\)\. It restarted 1 time in the last 1h \(last terminated: Error\)\.$/)
    }
    expect(view.flags.some((f) => f.kind === 'gpu-memory')).toBe(false)
    expect(view.pipelineRows[0].gatewayErrorShare).toBeCloseTo(1, 6)
    for (const c of view.containers) expect(c).toMatchObject({ pipeline: 'rag-chat', model: null, lastOutputAt: null, silence: { seconds: 1800, sinceAppeared: true, atLeast: false } })
  })

  it('does not call a container silent before the deploy', async () => {
    const before = new Date(scenarioStart(SLOW_MODEL_LOADING, end).getTime() + 200 * 60_000)
    const { view } = await loadFleet(backend.source!, DEFAULT_FLEET_CONFIG, before)
    expect(view.flags).toEqual([])
  })
})
