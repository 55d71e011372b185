/**
 * The batch of PromQL queries behind one load of the fleet view, built from the configuration: one query per column,
 * aggregated by GPU, node or pod inside Prometheus, never one per node, so a load costs the same for 3 nodes or 300.
 */
import type { FleetConfig, FleetQueryId, Signal } from './config'

export interface FleetQuery {
  id: FleetQueryId
  /** range queries end at the view's moment and cover the liveness lookback */
  kind: 'instant' | 'range'
  query: string
  /** what the column shows and where it comes from, for "could not load" messages */
  label: string
}

function selector(metric: string, matchers: string): string {
  return matchers.trim() ? `${metric}{${matchers.trim()}}` : metric
}

/**
 * The same expression over each candidate metric, joined with `or`: for each group the first candidate that has a
 * series wins, so a fleet half on vLLM's old names and half on the new ones still fills every row.
 */
function anyOf(signal: Signal, expression: (series: string) => string): string {
  return signal.metrics.map((metric) => expression(selector(metric, signal.matchers))).join(' or ')
}

function names(signal: Signal): string {
  return signal.metrics.join(' or ')
}

export function buildFleetQueries(config: FleetConfig): FleetQuery[] {
  const { labels: l, metrics: m, windows: w } = config
  const perGpu = `${l.gpuHost}, ${l.gpu}, ${l.gpuModel}`
  const perPod = `${l.namespace}, ${l.pod}`
  const perContainer = `${l.namespace}, ${l.pod}, ${l.container}`
  const servingIdentity = `${perPod}, ${l.model}, ${l.pipeline}, ${l.instance}`
  const built: FleetQuery[] = [
    { id: 'gpuMemoryUsed', kind: 'instant', label: `GPU memory used (${names(m.gpuMemoryUsed)})`, query: anyOf(m.gpuMemoryUsed, (s) => `max by (${perGpu}) (${s})`) },
    { id: 'gpuMemoryFree', kind: 'instant', label: `GPU memory free (${names(m.gpuMemoryFree)})`, query: anyOf(m.gpuMemoryFree, (s) => `max by (${perGpu}) (${s})`) },
    { id: 'gpuUtilisation', kind: 'instant', label: `GPU utilisation (${names(m.gpuUtilisation)})`, query: anyOf(m.gpuUtilisation, (s) => `max by (${perGpu}) (${s})`) },
    { id: 'gpuTemperature', kind: 'instant', label: `GPU temperature (${names(m.gpuTemperature)})`, query: anyOf(m.gpuTemperature, (s) => `max by (${perGpu}) (${s})`) },
    // nanoseconds throttled per second / 1e9 = the share of time throttled
    { id: 'gpuThrottle', kind: 'instant', label: `GPU thermal throttling (${names(m.gpuThermalViolation)})`, query: anyOf(m.gpuThermalViolation, (s) => `max by (${perGpu}) (rate(${s}[${w.rate}])) / 1e9`) },
    { id: 'xidErrors', kind: 'instant', label: `XID errors (${names(m.xidErrors)})`, query: anyOf(m.xidErrors, (s) => `max by (${perGpu}) (${s})`) },
    { id: 'gpuAllocatable', kind: 'instant', label: `allocatable GPUs (${names(m.gpuAllocatable)})`, query: anyOf(m.gpuAllocatable, (s) => `max by (${l.node}) (${s})`) },
    { id: 'gpuRequests', kind: 'instant', label: `requested GPUs (${names(m.gpuRequests)})`, query: anyOf(m.gpuRequests, (s) => `sum by (${perContainer}, ${l.node}) (${s})`) },
    { id: 'podInfo', kind: 'instant', label: `pod placement (${names(m.podInfo)})`, query: anyOf(m.podInfo, (s) => `max by (${perPod}, ${l.node}) (${s})`) },
    { id: 'restarts', kind: 'instant', label: `container restarts (${names(m.restarts)})`, query: anyOf(m.restarts, (s) => `max by (${perContainer}) (${s})`) },
    // restarts count up by one each: changes() counts them without rate()'s extrapolation
    { id: 'restartsInWindow', kind: 'instant', label: `restarts in the last ${w.restarts} (${names(m.restarts)})`, query: anyOf(m.restarts, (s) => `max by (${perContainer}) (changes(${s}[${w.restarts}]))`) },
    { id: 'lastTerminated', kind: 'instant', label: `last termination reason (${names(m.lastTerminatedReason)})`, query: anyOf(m.lastTerminatedReason, (s) => `max by (${perContainer}, ${l.reason}) (${s}) == 1`) },
    { id: 'kvCacheUsage', kind: 'instant', label: `KV-cache usage (${names(m.kvCacheUsage)})`, query: anyOf(m.kvCacheUsage, (s) => `max by (${perPod}) (${s})`) },
    { id: 'requestsRunning', kind: 'instant', label: `requests running (${names(m.requestsRunning)})`, query: anyOf(m.requestsRunning, (s) => `sum by (${servingIdentity}) (${s})`) },
    { id: 'requestsWaiting', kind: 'instant', label: `requests waiting (${names(m.requestsWaiting)})`, query: anyOf(m.requestsWaiting, (s) => `sum by (${perPod}) (${s})`) },
    { id: 'preemptions', kind: 'instant', label: `preemptions (${names(m.preemptions)})`, query: anyOf(m.preemptions, (s) => `sum by (${perPod}) (rate(${s}[${w.rate}]))`) },
    { id: 'gatewayRequests', kind: 'instant', label: `gateway traffic (${names(m.gatewayRequests)})`, query: anyOf(m.gatewayRequests, (s) => `sum by (${l.gatewayPipeline}, ${l.gatewayUpstream}, ${l.gatewayCode}) (rate(${s}[${w.rate}]))`) },
    { id: 'queueReady', kind: 'instant', label: `queue depth (${names(m.queueReady)})`, query: anyOf(m.queueReady, (s) => `max by (${l.queue}) (${s})`) },
    { id: 'queueUnacked', kind: 'instant', label: `in-flight messages (${names(m.queueUnacked)})`, query: anyOf(m.queueUnacked, (s) => `max by (${l.queue}) (${s})`) },
    // timestamp() is the time of the sample itself, not of the step: the newest value is the last time the container emitted
    { id: 'lastOutput', kind: 'range', label: `container output (${names(m.output)})`, query: anyOf(m.output, (s) => `max by (${servingIdentity}) (timestamp(${s}))`) },
    { id: 'podFirstSeen', kind: 'range', label: `pod start (${names(m.podInfo)})`, query: anyOf(m.podInfo, (s) => `min by (${perPod}) (timestamp(${s}))`) },
  ]
  return built.map((q) => {
    const replacement = config.queries[q.id]
    return replacement ? { ...q, query: replacement, label: `${q.label.replace(/ \(.*\)$/, '')} (configured query)` } : q
  })
}

/** The range the liveness queries cover: the lookback up to the view's moment. */
export function livenessRange(at: Date, config: FleetConfig): { start: Date; end: Date; stepSeconds: number } {
  return { start: new Date(at.getTime() - config.windows.livenessLookbackMinutes * 60_000), end: at, stepSeconds: config.windows.livenessStepSeconds }
}
