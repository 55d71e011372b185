/**
 * The join and its flags, rule by rule, each with a case that should trigger and one that should not. The query
 * results are Prometheus API vectors with the label sets of the scenario library's fleet (RAG_CHAT on three H100
 * nodes); fleet.int.test.ts runs the same join on a real Prometheus.
 */
import { describe, expect, it } from 'vitest'
import type { InstantSample, RangeSeries } from '@/lib/telemetry/metrics-source'
import { RAG_CHAT } from '@/lib/telemetry/scenarios/library'
import { findFailureClass } from '@/lib/taxonomy'
import { DEFAULT_FLEET_CONFIG, fleetConfigSchema, type FleetConfig } from './config'
import { joinFleet, type FleetResults } from './join'
import { buildFleetQueries } from './queries'

const AT = new Date('2026-11-22T04:30:00Z')
const T = AT.getTime() / 1000
const FB_TOTAL = 81_920
const { namespace, pipeline, model } = RAG_CHAT

interface NodeSpec {
  gpus?: { used: number; xid?: number; throttled?: number }[]
  allocatable?: number | null
}

interface PodSpec {
  node: string
  pod?: string
  gpus?: number
  /** false: the pod emits no serving metrics (loading, dead) */
  serving?: boolean
  model?: string
  kv?: number
  waiting?: number
  preemptions?: number
  restarts?: number
  restartsInWindow?: number
  reason?: 'OOMKilled' | 'Error'
  /** seconds before AT of the last output sample in the lookback; null: none */
  lastOutputAgo?: number | null
  /** seconds before AT the pod appeared */
  ageSeconds?: number
}

interface FleetSpec {
  nodes?: Record<string, NodeSpec>
  pods?: PodSpec[]
  /** requests per second the gateway sends each node's upstream; null: no gateway series at all */
  gatewayPerNode?: number | null
  gatewayUpstream?: (node: string) => string
  queues?: Record<string, number>
}

const healthyPod = (node: string, i: number): PodSpec => ({ node, pod: `${pipeline}-7d9f6c-${i}` })

function sample(labels: Record<string, string>, value: number): InstantSample {
  return { labels, value: [T, value] }
}

/** Query results as Prometheus returns them for a fleet; every field defaults to the healthy baseline. */
function fleet(spec: FleetSpec = {}): FleetResults {
  const nodes: Record<string, NodeSpec> = { ...Object.fromEntries(RAG_CHAT.nodes.map((n) => [n, {}])), ...spec.nodes }
  const pods = spec.pods ?? RAG_CHAT.nodes.map(healthyPod)
  const instant: FleetResults['instant'] = {}
  const range: FleetResults['range'] = {}
  const push = (id: keyof FleetResults['instant'], s: InstantSample) => (instant[id] ??= []).push(s)
  for (const id of ['gpuMemoryUsed', 'gpuMemoryFree', 'gpuUtilisation', 'gpuTemperature', 'gpuThrottle', 'xidErrors', 'gpuAllocatable', 'gpuRequests', 'podInfo', 'restarts', 'restartsInWindow', 'lastTerminated', 'kvCacheUsage', 'requestsRunning', 'requestsWaiting', 'preemptions', 'gatewayRequests', 'queueReady', 'queueUnacked'] as const) instant[id] = []
  for (const [node, n] of Object.entries(nodes)) {
    const gpus = n.gpus ?? [{ used: Math.round(FB_TOTAL * 0.9) }, { used: 512 }]
    gpus.forEach((g, i) => {
      const labels = { Hostname: node, gpu: String(i), modelName: 'NVIDIA H100 80GB HBM3' }
      push('gpuMemoryUsed', sample(labels, g.used))
      push('gpuMemoryFree', sample(labels, FB_TOTAL - g.used))
      push('gpuUtilisation', sample(labels, i === 0 ? 70 : 0))
      push('gpuTemperature', sample(labels, i === 0 ? 68 : 38))
      push('gpuThrottle', sample(labels, g.throttled ?? 0))
      push('xidErrors', sample(labels, g.xid ?? 0))
    })
    if (n.allocatable !== null) push('gpuAllocatable', sample({ node }, n.allocatable ?? 2))
  }
  range.lastOutput = []
  range.podFirstSeen = []
  for (const p of pods) {
    const pod = p.pod ?? `${pipeline}-7d9f6c-0`
    const podLabels = { namespace, pod }
    const container = { ...podLabels, container: 'vllm' }
    const serving = { ...podLabels, model_name: p.model ?? model, pipeline, instance: `${p.node}:8000` }
    push('podInfo', sample({ ...podLabels, node: p.node }, 1))
    if ((p.gpus ?? 1) > 0) push('gpuRequests', sample({ ...container, node: p.node }, p.gpus ?? 1))
    push('restarts', sample(container, p.restarts ?? p.restartsInWindow ?? 0))
    push('restartsInWindow', sample(container, p.restartsInWindow ?? 0))
    if (p.reason) push('lastTerminated', sample({ ...container, reason: p.reason }, 1))
    if (p.serving !== false) {
      push('kvCacheUsage', sample(podLabels, p.kv ?? 0.55))
      push('requestsRunning', sample(serving, 24))
      push('requestsWaiting', sample(podLabels, p.waiting ?? 0))
      push('preemptions', sample(podLabels, p.preemptions ?? 0))
    }
    const lastOutputAgo = p.lastOutputAgo === undefined ? (p.serving === false ? null : 0) : p.lastOutputAgo
    if (lastOutputAgo !== null) range.lastOutput.push({ labels: serving, points: [[T - lastOutputAgo - 15, T - lastOutputAgo - 15], [T - lastOutputAgo, T - lastOutputAgo]] })
    const age = p.ageSeconds ?? 6 * 3600
    range.podFirstSeen.push({ labels: podLabels, points: [[T - 3600, Math.max(T - age, T - 3600 - 300)], [T, T]] } satisfies RangeSeries)
  }
  if (spec.gatewayPerNode !== null) {
    for (const node of new Set(pods.map((p) => p.node))) {
      push('gatewayRequests', sample({ pipeline, upstream: (spec.gatewayUpstream ?? ((n) => `${n}:8000`))(node), code: '200' }, spec.gatewayPerNode ?? 12))
    }
  }
  for (const [queue, depth] of Object.entries(spec.queues ?? {})) {
    push('queueReady', sample({ queue }, depth))
    push('queueUnacked', sample({ queue }, 3))
  }
  return { instant, range }
}

function config(overrides: Record<string, unknown> = {}): FleetConfig {
  return fleetConfigSchema.parse(overrides)
}

const join = (results: FleetResults, cfg: FleetConfig = DEFAULT_FLEET_CONFIG, pipelineFilter?: string) => joinFleet(results, cfg, { at: AT, pipeline: pipelineFilter })

describe('joining the fleet', () => {
  it('joins GPUs to nodes by Hostname and pods to nodes by kube_pod_info, with GPUs free = allocatable - requested', () => {
    const view = join(fleet())
    expect(view.nodes.map((n) => n.node)).toEqual(['gpu-node-1', 'gpu-node-2', 'gpu-node-3'])
    expect(view.nodes[0]).toMatchObject({
      gpusAllocatable: 2,
      gpusRequested: 1,
      gpusFree: 1,
      memoryUsedMiB: Math.round(FB_TOTAL * 0.9) + 512,
      memoryTotalMiB: 2 * FB_TOTAL,
      utilisation: 35,
      maxTemperatureC: 68,
      gpuModels: ['NVIDIA H100 80GB HBM3'],
      pods: ['inference/rag-chat-7d9f6c-0'],
    })
    expect(view.nodes[0].maxMemoryShare).toBeCloseTo(0.9, 4)
    expect(view.containers[1]).toMatchObject({ key: 'inference/rag-chat-7d9f6c-1', node: 'gpu-node-2', pipeline, model, containers: ['vllm'], gpusRequested: 1, kvCacheUsage: 0.55, requestsRunning: 24, requestsWaiting: 0, gatewayRequestsPerSecond: 12, lastOutputAt: AT.toISOString() })
    expect(view.pipelines).toEqual([pipeline])
    expect(view.flags).toEqual([])
    expect(view.summary).toBe('No flags: nothing in the fleet crosses a threshold.')
  })

  it('shows the serving containers only, not every pod kube-state-metrics knows', () => {
    const results = fleet()
    results.instant.podInfo!.push(sample({ namespace: 'kube-system', pod: 'coredns-5d78c9869d-abcde', node: 'gpu-node-1' }, 1))
    expect(join(results).containers.map((c) => c.pod)).not.toContain('coredns-5d78c9869d-abcde')
  })

  it('matches a dcgm-exporter Hostname that is the node FQDN to the Kubernetes node', () => {
    const results = fleet()
    for (const s of results.instant.gpuMemoryUsed!) s.labels.Hostname = `${s.labels.Hostname}.cluster.internal`
    const view = join(results)
    expect(view.nodes.map((n) => n.node)).toEqual(['gpu-node-1', 'gpu-node-2', 'gpu-node-3'])
    expect(view.nodes[0].gpus[0].memoryUsedMiB).toBe(Math.round(FB_TOTAL * 0.9))
  })

  it('leaves the columns of a failed query unknown instead of empty, and does not call their metrics missing', () => {
    const results = fleet()
    delete results.instant.gpuMemoryUsed
    delete results.instant.kvCacheUsage
    const view = join(results)
    expect(view.nodes[0].memoryUsedMiB).toBeNull()
    expect(view.nodes[0].gpus[0].memoryTotalMiB).toBeNull()
    expect(view.containers[0].kvCacheUsage).toBeNull()
    expect(view.missing.join(' ')).not.toMatch(/dcgm/)
  })

  it('says which node has no dcgm-exporter metrics rather than guessing', () => {
    const results = fleet()
    for (const id of ['gpuMemoryUsed', 'gpuMemoryFree', 'gpuUtilisation', 'gpuTemperature', 'gpuThrottle', 'xidErrors'] as const) results.instant[id] = results.instant[id]!.filter((s) => s.labels.Hostname !== 'gpu-node-3')
    expect(join(results).missing).toContain('No dcgm-exporter metrics for node gpu-node-3: its GPU memory, utilisation, temperature and XID errors are unknown.')
  })

  it('says when there are no queue metrics, and which queue name it looked for when there are others', () => {
    expect(join(fleet()).missing).toContain('No queue metrics (rabbitmq_queue_messages_ready or rabbitmq_detailed_queue_messages_ready): queue depth, in-flight and dead letters are not shown.')
    const view = join(fleet({ queues: { 'rag-chat-requests': 12 } }))
    expect(view.pipelineRows[0].queue).toBeNull()
    expect(view.missing).toContain('No queue named “rag-chat” in the queue metrics for pipeline rag-chat: set fleet.queues.pipelines.rag-chat.queue.')
  })

  it('shows queue depth, in-flight and dead letters under the names the configuration gives', () => {
    const cfg = config({ queues: { pipelines: { 'rag-chat': { queue: 'rag-chat-requests', deadLetterQueue: 'rag-chat-requests.dead' } } } })
    const view = join(fleet({ queues: { 'rag-chat-requests': 12, 'rag-chat-requests.dead': 0 } }), cfg)
    expect(view.pipelineRows[0]).toMatchObject({ queue: { name: 'rag-chat-requests', ready: 12, unacked: 3 }, deadLetter: { name: 'rag-chat-requests.dead', ready: 0 } })
    expect(view.flags).toEqual([])
  })

  it('filters to one pipeline: its containers, the nodes they run on, its queues', () => {
    const results = fleet({ pods: [...RAG_CHAT.nodes.slice(0, 2).map(healthyPod), { node: 'gpu-node-3', pod: 'summarise-6f7d8-0', kv: 1 }] })
    results.instant.requestsRunning!.find((s) => s.labels.pod === 'summarise-6f7d8-0')!.labels.pipeline = 'summarise'
    results.range.lastOutput!.find((s) => s.labels.pod === 'summarise-6f7d8-0')!.labels.pipeline = 'summarise'
    const view = join(results, DEFAULT_FLEET_CONFIG, 'rag-chat')
    expect(view.pipeline).toBe('rag-chat')
    expect(view.pipelines).toEqual(['rag-chat', 'summarise'])
    expect(view.containers.map((c) => c.pod)).toEqual(['rag-chat-7d9f6c-0', 'rag-chat-7d9f6c-1'])
    expect(view.nodes.map((n) => n.node)).toEqual(['gpu-node-1', 'gpu-node-2'])
    // the summarise pod's full KV cache is another pipeline's flag
    expect(view.flags).toEqual([])
    expect(join(results).flags.map((f) => f.pod)).toEqual(['inference/summarise-6f7d8-0'])
  })
})

describe('flags', () => {
  it('flag GPU memory over the threshold on one GPU, even when the node average is low', () => {
    const view = join(fleet({ nodes: { 'gpu-node-2': { gpus: [{ used: Math.round(FB_TOTAL * 0.98) }, { used: 512 }] } } }))
    expect(view.nodes[1].memoryUsedMiB! / view.nodes[1].memoryTotalMiB!).toBeLessThan(0.5)
    expect(view.flags).toEqual([
      expect.objectContaining({ kind: 'gpu-memory', where: 'gpu-node-2 GPU 0', node: 'gpu-node-2', threshold: 0.95, shownValue: '98 %', shownThreshold: '95 %', failureClass: 'gpu-oom', severity: 'critical' }),
    ])
    expect(view.flags[0].value).toBeCloseTo(0.98, 4)
    expect(view.summary).toBe('1 flag: gpu-node-2 GPU 0 GPU memory 98 % (threshold 95 %)')
  })

  it('do not flag GPU memory at or under the threshold', () => {
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: FB_TOTAL * 0.95 }, { used: 512 }] } } })).flags).toEqual([])
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: FB_TOTAL * 0.94 }, { used: 512 }] } } })).flags).toEqual([])
  })

  it('flag a full KV cache and preemptions on the pod, pointing at GPU OOM', () => {
    const view = join(fleet({ pods: [healthyPod('gpu-node-1', 0), { ...healthyPod('gpu-node-2', 1), kv: 1, waiting: 40, preemptions: 0.8 }] }))
    expect(view.flags.map((f) => [f.kind, f.pod, f.failureClass])).toEqual([
      ['kv-cache', 'inference/rag-chat-7d9f6c-1', 'gpu-oom'],
      ['preemptions', 'inference/rag-chat-7d9f6c-1', 'gpu-oom'],
    ])
    expect(view.flags[0].text).toBe('inference/rag-chat-7d9f6c-1 on gpu-node-2: the KV cache is 100 % full with 40 requests waiting, over the 95 % threshold.')
    expect(view.flags[1]).toMatchObject({ value: 0.8, threshold: 0.1, shownValue: '0.80/s' })
  })

  it('do not flag a busy but healthy KV cache or an occasional preemption', () => {
    expect(join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), kv: 0.9, preemptions: 0.05 }] })).flags).toEqual([])
  })

  it('flag a non-zero XID with its name from NVIDIA’s catalogue, as a hardware fault', () => {
    const view = join(fleet({ nodes: { 'gpu-node-3': { gpus: [{ used: 73_728 }, { used: 512, xid: 79 }] } } }))
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'xid', where: 'gpu-node-3 GPU 1', value: 79, headline: 'gpu-node-3 GPU 1 XID 79 (GPU has fallen off the bus)', failureClass: 'accelerator-hardware-fault' })])
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: 512, xid: 0 }] } } })).flags.filter((f) => f.kind === 'xid')).toEqual([])
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: 512, xid: 0 }, { used: 512, xid: 0 }] } } })).flags).toEqual([])
  })

  it('flag thermal throttling over the threshold only', () => {
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: 512, throttled: 0.3 }, { used: 512 }] } } })).flags).toEqual([expect.objectContaining({ kind: 'thermal-throttling', shownValue: '30 %', shownThreshold: '10 %' })])
    expect(join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: 512, throttled: 0.05 }, { used: 512 }] } } })).flags).toEqual([])
  })

  it('flag a GPU that Kubernetes counts but dcgm-exporter does not report', () => {
    const view = join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: 73_728 }] } }, pods: [healthyPod('gpu-node-1', 0)] }))
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'gpu-missing', where: 'gpu-node-1', value: 1, threshold: 2, failureClass: 'accelerator-hardware-fault' })])
  })

  it('flag restarts in the window with OOMKilled as a container OOM kill', () => {
    const view = join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), restarts: 7, restartsInWindow: 3, reason: 'OOMKilled' }] }))
    expect(view.containers[0]).toMatchObject({ restarts: 7, restartsInWindow: 3, lastTerminatedReason: 'OOMKilled' })
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'restarts', severity: 'critical', value: 3, failureClass: 'container-oom-killed', text: 'inference/rag-chat-7d9f6c-0 on gpu-node-1 restarted 3 times in the last 1h (last terminated: OOMKilled).' })])
  })

  it('flag restarts ending in Error under GPU memory pressure as GPU OOM (CUDA OOM is not OOMKilled)', () => {
    const view = join(fleet({ nodes: { 'gpu-node-2': { gpus: [{ used: FB_TOTAL * 0.98 }, { used: 512 }] } }, pods: [{ ...healthyPod('gpu-node-2', 1), restartsInWindow: 2, reason: 'Error' }] }))
    expect(view.flags.find((f) => f.kind === 'restarts')).toMatchObject({ failureClass: 'gpu-oom', severity: 'warning' })
  })

  it('do not flag an OOM kill from before the window', () => {
    expect(join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), restarts: 4, restartsInWindow: 0, reason: 'OOMKilled' }] })).flags).toEqual([])
  })

  it('flag a container silent since it appeared while the gateway sends it traffic, as slow model loading', () => {
    const view = join(fleet({ pods: [{ node: 'gpu-node-1', pod: 'rag-chat-5b8e21-0', serving: false, ageSeconds: 1800 }] }))
    expect(view.containers[0]).toMatchObject({ pipeline: 'rag-chat', model: null, lastOutputAt: null, silence: { seconds: 1800, sinceAppeared: true, atLeast: false } })
    expect(view.flags).toEqual([
      expect.objectContaining({
        kind: 'silence',
        severity: 'critical',
        where: 'inference/rag-chat-5b8e21-0 on gpu-node-1',
        value: 1800,
        threshold: 120,
        failureClass: 'slow-model-loading',
        text: 'inference/rag-chat-5b8e21-0 on gpu-node-1 has emitted nothing since it appeared 30 min ago while the gateway sends it 12/s (silent during load: a loading failure).',
      }),
    ])
  })

  it('flag a container that went silent after serving as a runtime failure (OOM-killed)', () => {
    const view = join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: 600 }] }))
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'silence', value: 600, shownValue: '10 min', failureClass: 'container-oom-killed' })])
    expect(view.flags[0].text).toMatch(/has emitted nothing for 10 min while the gateway sends it 12\/s \(silent after it had been serving: a runtime failure\)\.$/)
  })

  it('fold the restarts of a silent container into its silence flag: one story, one flag', () => {
    const view = join(fleet({ pods: [{ node: 'gpu-node-1', pod: 'rag-chat-5b8e21-0', serving: false, ageSeconds: 1800, restartsInWindow: 1, reason: 'Error' }] }))
    expect(view.flags.map((f) => f.kind)).toEqual(['silence'])
    expect(view.flags[0].text).toMatch(/\(silent during load: a loading failure\)\. It restarted 1 time in the last 1h \(last terminated: Error\)\.$/)
  })

  it('say "at least" when the silence reaches back past the lookback', () => {
    const view = join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: null, ageSeconds: 6 * 3600 }] }))
    expect(view.containers[0].silence).toEqual({ seconds: 3600, sinceAppeared: false, atLeast: true })
    expect(view.flags[0]).toMatchObject({ kind: 'silence', shownValue: '≥ 60 min', failureClass: null })
  })

  it('do not flag a short gap, a pod still within its normal load time, or a container nobody sends traffic to', () => {
    expect(join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: 90 }] })).flags).toEqual([])
    expect(join(fleet({ pods: [{ node: 'gpu-node-1', pod: 'rag-chat-5b8e21-0', serving: false, ageSeconds: 100 }] })).flags).toEqual([])
    expect(join(fleet({ gatewayPerNode: 0, pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: 900 }] })).flags).toEqual([])
  })

  it('do not guess silence without gateway series, but say so; flag it when configured not to need traffic', () => {
    const results = fleet({ gatewayPerNode: null, pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: 900 }] })
    const view = join(results)
    expect(view.flags).toEqual([])
    expect(view.missing).toContain('inference/rag-chat-7d9f6c-0 has emitted nothing for 15 min, but no gateway traffic series say whether it should be serving.')
    expect(join(results, config({ thresholds: { silenceNeedsTraffic: false } })).flags).toEqual([expect.objectContaining({ kind: 'silence', value: 900 })])
  })

  it('judge silence by the pipeline’s traffic when the gateway’s upstream names a service, not a node', () => {
    const view = join(fleet({ gatewayUpstream: () => 'rag-chat.inference.svc:8000', pods: [{ ...healthyPod('gpu-node-1', 0), serving: false, lastOutputAgo: 900 }] }))
    expect(view.containers[0].gatewayRequestsPerSecond).toBeNull()
    expect(view.flags[0]).toMatchObject({ kind: 'silence' })
    expect(view.flags[0].text).toContain('while the gateway sends pipeline rag-chat 12/s')
  })

  it('flag a GPU model on a node without GPUs as misrouting', () => {
    const results = fleet({ pods: [healthyPod('gpu-node-1', 0), { node: 'cpu-node-1', pod: 'rag-chat-7d9f6c-9', gpus: 0 }] })
    results.instant.gpuAllocatable!.push(sample({ node: 'cpu-node-1' }, 0))
    const view = join(results)
    expect(view.nodes.find((n) => n.node === 'cpu-node-1')).toMatchObject({ gpusAllocatable: 0, gpusFree: 0, gpus: [] })
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'misplacement', pod: 'inference/rag-chat-7d9f6c-9', failureClass: 'misrouting', text: 'llama-3-70b-instruct runs on cpu-node-1, which has no allocatable GPU: a GPU model on a CPU node.' })])
    // a CPU model, as configured, belongs there
    expect(join(results, config({ models: { [model]: { requiresGpu: false } } })).flags).toEqual([])
  })

  it('flag a model placed on GPUs without the memory it needs, and not one that fits', () => {
    const tooBig = join(fleet(), config({ models: { [model]: { gpuMemoryMiB: 150_000 } } }))
    expect(tooBig.flags).toHaveLength(3)
    expect(tooBig.flags[0]).toMatchObject({ kind: 'misplacement', value: FB_TOTAL, threshold: 150_000, failureClass: 'misrouting', text: 'llama-3-70b-instruct needs 146.5 GiB of GPU memory; inference/rag-chat-7d9f6c-0 on gpu-node-1 has 1 GPU of 80.0 GiB.' })
    expect(join(fleet({ pods: [{ ...healthyPod('gpu-node-1', 0), gpus: 2 }] }), config({ models: { [model]: { gpuMemoryMiB: 150_000 } } })).flags).toEqual([])
  })

  it('flag a node with more GPUs requested than allocatable: no free GPU for what is placed there', () => {
    const view = join(fleet({ nodes: { 'gpu-node-1': { allocatable: 1 } }, pods: [healthyPod('gpu-node-1', 0), healthyPod('gpu-node-1', 1)] }))
    expect(view.nodes[0]).toMatchObject({ gpusAllocatable: 1, gpusRequested: 2, gpusFree: -1 })
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'misplacement', where: 'gpu-node-1', value: 2, threshold: 1 })])
  })

  it('flag dead letters at the threshold', () => {
    const view = join(fleet({ queues: { 'rag-chat': 40, 'rag-chat.dlq': 17 } }))
    expect(view.flags).toEqual([expect.objectContaining({ kind: 'dead-letters', where: 'pipeline rag-chat', value: 17, failureClass: 'queue-stall-dead-letters', text: 'The dead-letter queue rag-chat.dlq of rag-chat holds 17 messages (3 in flight).' })])
    expect(join(fleet({ queues: { 'rag-chat': 40, 'rag-chat.dlq': 0 } })).flags).toEqual([])
  })

  it('name only failure classes that exist in the taxonomy', () => {
    const view = join(fleet({ nodes: { 'gpu-node-1': { gpus: [{ used: FB_TOTAL, xid: 48, throttled: 0.5 }] } }, pods: [{ ...healthyPod('gpu-node-1', 0), kv: 1, preemptions: 1, restartsInWindow: 2, reason: 'OOMKilled', serving: false, lastOutputAgo: 900 }], queues: { 'rag-chat': 1, 'rag-chat.dlq': 5 } }))
    expect(new Set(view.flags.map((f) => f.kind)).size).toBeGreaterThanOrEqual(6)
    for (const f of view.flags) if (f.failureClass) expect(findFailureClass(f.failureClass), f.failureClass).toBeDefined()
  })

  it('put critical flags first and cut the summary after five', () => {
    const pods = Array.from({ length: 7 }, (_, i) => ({ node: 'gpu-node-1', pod: `rag-chat-5b8e21-${i}`, serving: false, ageSeconds: 600 }))
    const view = join(fleet({ nodes: { 'gpu-node-1': { allocatable: 8, gpus: Array.from({ length: 8 }, () => ({ used: 512 })) } }, pods: [...pods, { ...healthyPod('gpu-node-1', 9), kv: 1 }] }))
    expect(view.flags.map((f) => f.kind)).toEqual([...Array(7).fill('silence'), 'kv-cache'])
    expect(view.summary).toMatch(/^8 flags: rag-chat-5b8e21-0 on gpu-node-1 silent 10 min \(threshold 2 min\); .*; and 3 more$/)
  })
})

describe('the vLLM rename (gpu_cache_usage_perc became kv_cache_usage_perc)', () => {
  it('asks for both names by default, the new one first, so each pod fills its KV-cache column from whichever it reports', () => {
    const kv = buildFleetQueries(DEFAULT_FLEET_CONFIG).find((q) => q.id === 'kvCacheUsage')!
    expect(kv.query).toBe('max by (namespace, pod) (vllm:kv_cache_usage_perc) or max by (namespace, pod) (vllm:gpu_cache_usage_perc)')
  })

  it('fills the column the same way from either name', () => {
    // the query result has no metric name: after `or`, a pod on the old name looks like one on the new
    const view = join(fleet({ pods: [{ ...healthyPod('gpu-node-2', 1), kv: 1 }] }))
    expect(view.containers[0].kvCacheUsage).toBe(1)
    expect(view.flags.map((f) => f.kind)).toEqual(['kv-cache'])
  })

  it('takes the candidates the configuration lists instead', () => {
    const kv = buildFleetQueries(config({ metrics: { kvCacheUsage: { metrics: ['vllm:gpu_cache_usage_perc'] } } })).find((q) => q.id === 'kvCacheUsage')!
    expect(kv.query).toBe('max by (namespace, pod) (vllm:gpu_cache_usage_perc)')
  })
})
