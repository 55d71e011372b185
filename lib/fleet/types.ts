/** The joined fleet view as the API sends it and the page shows it. Numbers are null when their metric is unknown. */

export interface GpuRow {
  gpu: string
  model: string | null
  memoryUsedMiB: number | null
  memoryTotalMiB: number | null
  /** percent, 0-100 */
  utilisation: number | null
  temperatureC: number | null
  /** share of time thermally throttled, 0-1 */
  throttledShare: number | null
  /** the last XID error code, 0 for none */
  xid: number | null
}

export interface NodeRow {
  node: string
  /** the GPU model(s) dcgm-exporter reports, e.g. "NVIDIA H100 80GB HBM3" */
  gpuModels: string[]
  gpusAllocatable: number | null
  gpusRequested: number | null
  /** allocatable minus requested */
  gpusFree: number | null
  memoryUsedMiB: number | null
  memoryTotalMiB: number | null
  /** the fullest GPU's share: a node average would hide one GPU at 98 % beside an idle one */
  maxMemoryShare: number | null
  /** mean over the node's GPUs, percent */
  utilisation: number | null
  maxTemperatureC: number | null
  maxThrottledShare: number | null
  gpus: GpuRow[]
  /** keys (namespace/pod) of the serving containers on this node */
  pods: string[]
}

export interface ContainerRow {
  /** namespace/pod */
  key: string
  namespace: string
  pod: string
  containers: string[]
  node: string | null
  pipeline: string | null
  model: string | null
  gpusRequested: number | null
  /** the newest sample of the container's output stream within the lookback, ISO */
  lastOutputAt: string | null
  /** when the pod first appeared within the lookback, ISO */
  firstSeenAt: string | null
  /**
   * Seconds since the last output, or since the pod appeared when it has emitted nothing yet; `atLeast` when that
   * reaches back past the lookback, so the real figure is longer.
   */
  silence: { seconds: number; sinceAppeared: boolean; atLeast: boolean } | null
  restarts: number | null
  restartsInWindow: number | null
  lastTerminatedReason: string | null
  requestsRunning: number | null
  requestsWaiting: number | null
  kvCacheUsage: number | null
  preemptionsPerSecond: number | null
  /** what the gateway sends this container's upstream, requests per second */
  gatewayRequestsPerSecond: number | null
}

export interface QueueDepth {
  name: string
  ready: number | null
  unacked: number | null
}

export interface PipelineRow {
  pipeline: string
  gatewayRequestsPerSecond: number | null
  /** share of the gateway's answers that are 5xx */
  gatewayErrorShare: number | null
  queue: QueueDepth | null
  deadLetter: QueueDepth | null
  containers: number
}

export type FlagKind =
  | 'gpu-memory'
  | 'kv-cache'
  | 'preemptions'
  | 'xid'
  | 'gpu-missing'
  | 'thermal-throttling'
  | 'restarts'
  | 'silence'
  | 'misplacement'
  | 'dead-letters'

export interface Flag {
  /** stable across refreshes, for React keys and anchors */
  id: string
  kind: FlagKind
  severity: 'critical' | 'warning'
  /** where it is, for a person: "gpu-node-2 GPU 0", "inference/rag-chat-5b8e21-0 on gpu-node-1" */
  where: string
  node: string | null
  /** namespace/pod */
  pod: string | null
  pipeline: string | null
  /** the measure, short: "GPU memory", "silent" */
  what: string
  value: number
  threshold: number
  /** value and threshold as shown: "98 %", "95 %" */
  shownValue: string
  shownThreshold: string
  /** short, for the summary line: "gpu-node-2 GPU 0 GPU memory 98 % (threshold 95 %)" */
  headline: string
  /** one sentence saying what Firebreak saw */
  text: string
  /** the failure class (lib/taxonomy) this evidence points to, when it points to one */
  failureClass: string | null
}

export interface FleetView {
  /** the moment the view shows, ISO */
  at: string
  pipeline: string | null
  /** every pipeline seen, for the filter */
  pipelines: string[]
  nodes: NodeRow[]
  containers: ContainerRow[]
  pipelineRows: PipelineRow[]
  flags: Flag[]
  /** "2 flags: gpu-node-2 GPU 0 GPU memory 98 % (threshold 95 %); …" */
  summary: string
  /** what could not be shown, in words, instead of a guess */
  missing: string[]
}

export interface FailedQuery {
  id: string
  label: string
  error: string
}

export interface FleetResponse extends FleetView {
  /** "Prometheus", "Demo data" */
  source: string
  isDemo: boolean
  /** queries that failed: their columns show "—" */
  failed: FailedQuery[]
  windows: { rate: string; restarts: string; livenessLookbackMinutes: number }
  /** for the bars' threshold marks */
  thresholds: { gpuMemoryShare: number; kvCacheUsage: number }
}
