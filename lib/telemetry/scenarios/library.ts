/**
 * The named scenarios, built from the failure classes in the seeds. Metric names are the real ones (dcgm-exporter,
 * vLLM, kube-state-metrics, node_exporter, an API gateway's http_requests_total) so the same PromQL works on the demo,
 * in tests and in production.
 *
 * A scenario is a story on a placement (a pipeline, its model and the nodes serving it), so the demo can put several
 * stories side by side on one fleet and tests can run each alone.
 */
import type { Scenario, ScenarioAlert, SeriesSpec } from './model'

export interface Placement {
  pipeline: string
  model: string
  namespace: string
  nodes: string[]
  /** GPUs per node (one serves the model, the rest are free) */
  gpusPerNode: number
  /** requests per second the gateway sends to each replica */
  requestsPerSecond: number
}

export const RAG_CHAT: Placement = { pipeline: 'rag-chat', model: 'llama-3-70b-instruct', namespace: 'inference', nodes: ['gpu-node-1', 'gpu-node-2', 'gpu-node-3'], gpusPerNode: 2, requestsPerSecond: 12 }

export const FB_TOTAL_MIB = 81_920 // an 80 GB H100
const GPU_MODEL = 'NVIDIA H100 80GB HBM3'
export const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10]
export const DURATION = 360
export const ONSET = 240

/** A smooth 0 -> 1 ramp between two minutes. */
export function ramp(t: number, from: number, to: number): number {
  if (t <= from) return 0
  if (t >= to) return 1
  return (t - from) / (to - from)
}

export function wave(t: number, period = 37): number {
  return Math.sin((t / period) * 2 * Math.PI)
}

/** One replica's behaviour over time; every field has a healthy default. */
export interface ReplicaBehaviour {
  fbUsedShare: (t: number) => number
  util: (t: number) => number
  kvCache: (t: number) => number
  waiting: (t: number) => number
  preemptionsPerSecond: (t: number) => number
  /** share of completions stopped by max_tokens */
  lengthShare: (t: number) => number
  /** mean time to first token in seconds (TTFT is modelled as exponential with this mean) */
  ttftMean: (t: number) => number
  /** share of the gateway's requests to this replica that fail with 5xx */
  errorShare: (t: number) => number
  /** container restarts per second (1/60 for one minute is one restart) */
  restartsPerSecond: (t: number) => number
  /** reason of the last termination, once there is one */
  lastTerminated?: { reason: 'OOMKilled' | 'Error'; fromMinute: number }
  /** false while the server emits no metrics (loading, crashed) */
  serving: (t: number) => boolean
  /** the pod's name suffix changes with a deploy; minute -> pod-template hash, or NO_POD while the node runs none */
  podHash: (t: number) => string
  /** MB/s read from the shared model store */
  storageReadMBps: (t: number) => number
  /** the model name the server registers (vLLM --served-model-name), read at a pod's first minute: a version change
   * with a deploy; default the placement's model */
  servedModel?: (t: number) => string
  /** the last XID error the serving GPU reported (dcgm-exporter), default none (0) */
  xid?: (t: number) => number
}

/** podHash's answer for the minutes before a replica exists (one added by a scale-up) */
export const NO_POD = ''

export const HEALTHY: ReplicaBehaviour = {
  fbUsedShare: (t) => 0.9 + 0.01 * wave(t),
  util: (t) => 70 + 10 * wave(t),
  kvCache: (t) => 0.55 + 0.05 * wave(t),
  waiting: () => 0,
  preemptionsPerSecond: () => 0,
  lengthShare: () => 0.015,
  ttftMean: () => 0.35,
  errorShare: () => 0.0005,
  restartsPerSecond: () => 0,
  serving: () => true,
  podHash: () => '7d9f6c',
  storageReadMBps: () => 2,
}

/** One restart at each of the given minutes. */
export function restartsAt(minutes: number[]): (t: number) => number {
  return (t) => (minutes.some((m) => t > m && t <= m + 1) ? 1 / 60 : 0)
}

function replicaSeries(placement: Placement, node: string, index: number, b: ReplicaBehaviour): SeriesSpec[] {
  const { pipeline, model, namespace } = placement
  const hashes = [...new Set(Array.from({ length: DURATION + 1 }, (_, t) => b.podHash(t)))]
  const firstMinuteOf = (hash: string) => Array.from({ length: DURATION + 1 }, (_, t) => t).find((t) => b.podHash(t) === hash) ?? 0
  const specs: SeriesSpec[] = []
  // node-level series: GPUs, allocatable, storage
  for (let gpu = 0; gpu < placement.gpusPerNode; gpu++) {
    const serving = gpu === 0
    const labels = { Hostname: node, gpu: String(gpu), UUID: `GPU-${node}-${gpu}`, modelName: GPU_MODEL }
    const used = (t: number) => (serving ? Math.round(FB_TOTAL_MIB * b.fbUsedShare(t)) : 512)
    specs.push(
      { metric: 'DCGM_FI_DEV_FB_USED', labels, kind: 'gauge', value: used },
      { metric: 'DCGM_FI_DEV_FB_FREE', labels, kind: 'gauge', value: (t) => FB_TOTAL_MIB - used(t) },
      { metric: 'DCGM_FI_DEV_GPU_UTIL', labels, kind: 'gauge', value: (t) => (serving ? Math.round(b.util(t)) : 0) },
      { metric: 'DCGM_FI_DEV_GPU_TEMP', labels, kind: 'gauge', value: (t) => Math.round(serving ? 62 + (8 * b.util(t)) / 100 : 38) },
      { metric: 'DCGM_FI_DEV_XID_ERRORS', labels, kind: 'gauge', value: (t) => (serving && b.xid ? b.xid(t) : 0) },
      // nanoseconds of thermal throttling per second: none in these stories
      { metric: 'DCGM_FI_DEV_THERMAL_VIOLATION', labels, kind: 'counter', value: () => 0 },
    )
  }
  specs.push(
    { metric: 'kube_node_status_allocatable', labels: { node, resource: 'nvidia_com_gpu', unit: 'integer' }, kind: 'gauge', value: () => placement.gpusPerNode },
    { metric: 'node_mountstats_nfs_total_read_bytes_total', labels: { instance: `${node}:9100`, node, export: 'models-nfs:/models' }, kind: 'counter', value: (t) => b.storageReadMBps(t) * 1e6 },
  )
  // pod-level series, one set per pod name (a deploy replaces the pod)
  for (const hash of hashes) {
    if (hash === NO_POD) continue
    const pod = `${pipeline}-${hash}-${index}`
    const live = (t: number) => b.podHash(t) === hash
    const podLabels = { namespace, pod }
    const containerLabels = { ...podLabels, container: 'vllm' }
    const modelName = b.servedModel ? b.servedModel(firstMinuteOf(hash)) : model
    const vllm = { ...podLabels, model_name: modelName, instance: `${node}:8000`, pipeline }
    const serving = (t: number) => live(t) && b.serving(t)
    /** requests per second this server answers: none while it is not serving */
    const served = (t: number) => (serving(t) ? placement.requestsPerSecond : 0)
    specs.push(
      { metric: 'kube_pod_info', labels: { ...podLabels, node, created_by_kind: 'ReplicaSet', created_by_name: `${pipeline}-${hash}` }, kind: 'gauge', value: () => 1, present: live },
      { metric: 'kube_pod_container_resource_requests', labels: { ...containerLabels, node, resource: 'nvidia_com_gpu', unit: 'integer' }, kind: 'gauge', value: () => 1, present: live },
      { metric: 'kube_pod_container_status_restarts_total', labels: containerLabels, kind: 'counter', value: (t) => (live(t) ? b.restartsPerSecond(t) : 0), present: live },
      { metric: 'vllm:kv_cache_usage_perc', labels: vllm, kind: 'gauge', value: b.kvCache, present: serving },
      { metric: 'vllm:num_requests_waiting', labels: vllm, kind: 'gauge', value: (t) => Math.round(b.waiting(t)), present: serving },
      { metric: 'vllm:num_requests_running', labels: vllm, kind: 'gauge', value: (t) => Math.round(24 + 4 * wave(t)), present: serving },
      { metric: 'vllm:num_preemptions_total', labels: vllm, kind: 'counter', value: (t) => (serving(t) ? b.preemptionsPerSecond(t) : 0), present: serving },
      { metric: 'vllm:generation_tokens_total', labels: vllm, kind: 'counter', value: (t) => (serving(t) ? placement.requestsPerSecond * 180 : 0), present: serving },
      // a server counts only while it serves, so a new pod's counters start from 0 like a real process's
      { metric: 'vllm:request_success_total', labels: { ...vllm, finished_reason: 'stop' }, kind: 'counter', value: (t) => served(t) * (1 - b.lengthShare(t)), present: serving },
      { metric: 'vllm:request_success_total', labels: { ...vllm, finished_reason: 'length' }, kind: 'counter', value: (t) => served(t) * b.lengthShare(t), present: serving },
      ...TTFT_BUCKETS.map((le): SeriesSpec => ({
        metric: 'vllm:time_to_first_token_seconds_bucket',
        labels: { ...vllm, le: String(le) },
        kind: 'counter',
        value: (t) => served(t) * (1 - Math.exp(-le / b.ttftMean(t))),
        present: serving,
      })),
      { metric: 'vllm:time_to_first_token_seconds_bucket', labels: { ...vllm, le: '+Inf' }, kind: 'counter', value: served, present: serving },
      { metric: 'vllm:time_to_first_token_seconds_count', labels: vllm, kind: 'counter', value: served, present: serving },
      { metric: 'vllm:time_to_first_token_seconds_sum', labels: vllm, kind: 'counter', value: (t) => served(t) * b.ttftMean(t), present: serving },
    )
    if (b.lastTerminated) {
      const { reason, fromMinute } = b.lastTerminated
      specs.push({ metric: 'kube_pod_container_status_last_terminated_reason', labels: { ...containerLabels, reason }, kind: 'gauge', value: () => 1, present: (t) => live(t) && t >= fromMinute })
    }
  }
  // the gateway's view of this replica's traffic
  const gateway = { job: 'llm-gateway', pipeline, upstream: `${node}:8000` }
  const upstream = (t: number) => b.podHash(t) !== NO_POD
  specs.push(
    { metric: 'http_requests_total', labels: { ...gateway, code: '200' }, kind: 'counter', value: (t) => (upstream(t) ? placement.requestsPerSecond * (1 - b.errorShare(t)) : 0), present: upstream },
    { metric: 'http_requests_total', labels: { ...gateway, code: '503' }, kind: 'counter', value: (t) => (upstream(t) ? placement.requestsPerSecond * b.errorShare(t) : 0), present: upstream },
  )
  return specs
}

export function fleetSeries(placement: Placement, behaviourOf: (node: string) => Partial<ReplicaBehaviour>): SeriesSpec[] {
  return placement.nodes.flatMap((node, i) => replicaSeries(placement, node, i, { ...HEALTHY, ...behaviourOf(node) }))
}

export function alert(placement: Placement, alertname: string, severity: string, startsAtMinute: number, extra: Record<string, string>, annotations: Record<string, string>, endsAtMinute?: number): ScenarioAlert {
  return {
    labels: { alertname, severity, pipeline: placement.pipeline, model: placement.model, namespace: placement.namespace, ...extra },
    annotations,
    startsAtMinute,
    ...(endsAtMinute !== undefined ? { endsAtMinute } : {}),
  }
}

export function baseline(placement: Placement = RAG_CHAT): Scenario {
  return {
    id: 'baseline',
    title: 'Healthy baseline',
    description: `${placement.nodes.length} GPU nodes serving ${placement.pipeline} at steady load: vLLM reserves 90 % of GPU memory, KV cache around 0.55, no preemptions, 1.5 % of completions stop at max_tokens, TTFT p95 near 1 s.`,
    durationMinutes: DURATION,
    series: fleetSeries(placement, () => ({})),
    alerts: [],
  }
}

/** GPU OOM on one node under long prompts (seed 003): KV cache saturates, preemptions climb, the server dies on CUDA OOM. */
export function gpuOom(placement: Placement = RAG_CHAT, node = placement.nodes[1]): Scenario {
  const sick = (t: number) => ramp(t, ONSET, ONSET + 15)
  return {
    id: 'gpu-oom',
    title: 'GPU OOM on one node under long prompts',
    description: `From minute ${ONSET}, long RAG prompts reach ${node}: its KV cache saturates, vLLM preempts requests, framebuffer use passes 97 %, requests queue and the server restarts on CUDA out-of-memory; the other nodes stay healthy.`,
    durationMinutes: DURATION,
    onsetMinute: ONSET,
    failureClass: 'gpu-oom',
    series: fleetSeries(placement, (n) =>
      n !== node
        ? {}
        : {
            fbUsedShare: (t) => 0.9 + 0.08 * ramp(t, ONSET, ONSET + 30),
            util: (t) => 70 + 25 * ramp(t, ONSET, ONSET + 20),
            kvCache: (t) => 0.55 + 0.45 * sick(t),
            waiting: (t) => 40 * ramp(t, ONSET + 10, ONSET + 40),
            preemptionsPerSecond: (t) => 0.8 * ramp(t, ONSET + 10, ONSET + 25),
            ttftMean: (t) => 0.35 + 2.5 * ramp(t, ONSET + 10, ONSET + 30),
            errorShare: (t) => 0.0005 + 0.25 * ramp(t, ONSET + 20, ONSET + 35),
            restartsPerSecond: restartsAt([ONSET + 35, ONSET + 62, ONSET + 90]),
            lastTerminated: { reason: 'Error', fromMinute: ONSET + 35 },
          },
    ),
    alerts: [
      alert(placement, 'GPUMemoryNearFull', 'critical', ONSET + 25, { node, Hostname: node, gpu: '0' }, {
        summary: `GPU framebuffer above 95 % on ${node}`,
        description: 'DCGM_FI_DEV_FB_USED / (FB_USED + FB_FREE) > 0.95 for 5m, with vLLM preemptions rising: KV cache pressure from long prompts.',
        runbook_url: '/runbooks/gpu-oom',
      }),
      alert(placement, 'VLLMPreemptionsHigh', 'warning', ONSET + 20, { node, instance: `${node}:8000` }, {
        summary: `vLLM preempting requests on ${node}`,
        description: 'rate(vllm:num_preemptions_total[5m]) > 0.1: the KV cache cannot hold the running batch.',
        runbook_url: '/runbooks/gpu-oom',
      }),
    ],
  }
}

/** Token-budget exhaustion after a max_tokens change (seed 003): length-terminated share jumps from 1.5 % to 11 %. */
export function tokenBudgetExhaustion(placement: Placement = RAG_CHAT): Scenario {
  const onset = 300
  return {
    id: 'token-budget-exhaustion',
    title: 'Token-budget exhaustion after a max_tokens change',
    description: `At minute ${onset} a deploy lowers max_tokens from 1024 to 256: the share of completions stopped by length goes from 1.5 % to 11 %, over the 5 % threshold; latency and GPUs look normal.`,
    durationMinutes: DURATION,
    onsetMinute: onset,
    failureClass: 'token-budget-exhaustion',
    series: fleetSeries(placement, () => ({ lengthShare: (t) => 0.015 + 0.095 * ramp(t, onset, onset + 2) })),
    alerts: [
      alert(placement, 'CompletionLengthTerminatedHigh', 'error', onset + 15, {}, {
        summary: `Over 5 % of ${placement.pipeline} completions stop at max_tokens`,
        description: 'sum(rate(vllm:request_success_total{finished_reason="length"}[15m])) / sum(rate(vllm:request_success_total[15m])) > 0.05: outputs are being cut off.',
        runbook_url: '/runbooks/token-budget-exhaustion',
      }),
    ],
  }
}

/**
 * Slow model loading during a deploy (seeds 004 and 002 F3): every replica of the new version pulls its weights from
 * the shared NFS store at once, the store's read bandwidth sits at its ceiling, the new servers stay silent past their
 * startup probe and are restarted, and the old replicas are gone. Load keeps arriving; the gateway answers 503.
 */
export function slowModelLoading(placement: Placement = RAG_CHAT): Scenario {
  const deploy = ONSET
  const ceilingMBps = 1250 // a 10 Gb/s NFS link shared by every loader
  const loaders = placement.nodes.length
  return {
    id: 'slow-model-loading',
    title: 'Slow model loading during a deploy that saturates shared storage',
    description: `At minute ${deploy} a rollout restarts all ${loaders} replicas at once; each pulls 140 GB of weights from one NFS export whose ${ceilingMBps} MB/s is shared, so loading takes over 30 minutes instead of 2. The new servers emit nothing, their startup probes restart them, and the gateway answers 503 until minute ${deploy + 75}, when the rollout is staggered.`,
    durationMinutes: DURATION,
    onsetMinute: deploy,
    failureClass: 'slow-model-loading',
    series: fleetSeries(placement, () => ({
      podHash: (t) => (t < deploy ? '7d9f6c' : '5b8e21'),
      serving: (t) => t < deploy || t >= deploy + 75,
      storageReadMBps: (t) => (t >= deploy && t < deploy + 75 ? ceilingMBps / loaders : 2),
      fbUsedShare: (t) => (t >= deploy && t < deploy + 75 ? 0.3 * ramp(t, deploy, deploy + 75) : 0.9 + 0.01 * wave(t)),
      util: (t) => (t >= deploy && t < deploy + 75 ? 0 : 70 + 10 * wave(t)),
      errorShare: (t) => (t >= deploy + 2 && t < deploy + 75 ? 1 : 0.0005),
      restartsPerSecond: restartsAt([deploy + 20, deploy + 40, deploy + 60]),
      lastTerminated: { reason: 'Error', fromMinute: deploy + 20 },
    })),
    alerts: [
      alert(placement, 'ModelServerNotReady', 'critical', deploy + 10, {}, {
        summary: `${placement.pipeline}: no replica of ${placement.model} is ready after the rollout`,
        description: 'kube_deployment_status_replicas_available == 0 and vLLM metrics absent for 10m while the gateway receives traffic.',
        runbook_url: '/runbooks/slow-model-loading',
      }, deploy + 75),
      alert(placement, 'SharedStorageReadSaturated', 'warning', deploy + 5, { export: 'models-nfs:/models' }, {
        summary: 'Model store read bandwidth at its ceiling',
        description: `sum(rate(node_mountstats_nfs_total_read_bytes_total[5m])) at ${ceilingMBps} MB/s, the export's limit, while ${loaders} servers load weights.`,
        runbook_url: '/runbooks/slow-model-loading',
      }, deploy + 75),
    ],
  }
}

export const BASELINE = baseline()
export const GPU_OOM = gpuOom()
export const TOKEN_BUDGET = tokenBudgetExhaustion()
export const SLOW_MODEL_LOADING = slowModelLoading()

export const SCENARIOS: Scenario[] = [BASELINE, GPU_OOM, TOKEN_BUDGET, SLOW_MODEL_LOADING]

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id)
}
