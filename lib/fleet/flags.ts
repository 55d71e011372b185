/**
 * The flags of the fleet view: each says what it saw, the value, the threshold and where, and names the failure class
 * (lib/taxonomy) the evidence points to. Thresholds come from the configuration; a value exactly at a threshold does
 * not raise a flag.
 */
import type { FleetConfig } from './config'
import { formatCount, formatDuration, formatGiB, formatRate, formatShare } from './format'
import type { ContainerRow, Flag, FlagKind, NodeRow, PipelineRow } from './types'

export interface FlagInput {
  nodes: NodeRow[]
  containers: ContainerRow[]
  pipelines: PipelineRow[]
  config: FleetConfig
}

/** Names from NVIDIA's XID catalogue (../shared/fixtures/nvidia-xid) for the codes an inference fleet meets most. */
const XID_NAMES: Record<number, string> = {
  13: 'graphics engine exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  45: 'preemptive cleanup after an earlier error',
  48: 'double-bit ECC error',
  63: 'row remapping or page retirement event',
  64: 'row remapping or page retirement failure',
  74: 'NVLink error',
  79: 'GPU has fallen off the bus',
  92: 'high single-bit ECC error rate',
  94: 'contained ECC error',
  95: 'uncontained ECC error',
  119: 'GSP RPC timeout',
  120: 'GSP error',
}

const ORDER: FlagKind[] = ['silence', 'gpu-memory', 'xid', 'gpu-missing', 'misplacement', 'kv-cache', 'preemptions', 'restarts', 'thermal-throttling', 'dead-letters']

type FlagFields = Omit<Flag, 'id' | 'node' | 'pod' | 'pipeline' | 'headline'> & { node?: string | null; pod?: string | null; pipeline?: string | null; key: string; headline?: string }

function flag(fields: FlagFields): Flag {
  const { key, ...rest } = fields
  return {
    ...rest,
    id: `${fields.kind}:${key}`,
    node: fields.node ?? null,
    pod: fields.pod ?? null,
    pipeline: fields.pipeline ?? null,
    headline: fields.headline ?? `${fields.where} ${fields.what} ${fields.shownValue} (threshold ${fields.shownThreshold})`,
  }
}

export function detectFlags({ nodes, containers, pipelines, config }: FlagInput): Flag[] {
  const t = config.thresholds
  const flags: Flag[] = []
  const nodeByName = new Map(nodes.map((n) => [n.node, n]))

  for (const node of nodes) {
    for (const gpu of node.gpus) {
      const where = `${node.node} GPU ${gpu.gpu}`
      if (gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB) {
        const share = gpu.memoryUsedMiB / gpu.memoryTotalMiB
        if (share > t.gpuMemoryShare) {
          flags.push(flag({ key: where, kind: 'gpu-memory', severity: 'critical', where, node: node.node, what: 'GPU memory', value: share, threshold: t.gpuMemoryShare, shownValue: formatShare(share), shownThreshold: formatShare(t.gpuMemoryShare), text: `${where} has ${formatShare(share)} of its memory in use (${formatGiB(gpu.memoryUsedMiB)} of ${formatGiB(gpu.memoryTotalMiB)}), over the ${formatShare(t.gpuMemoryShare)} threshold.`, failureClass: 'gpu-oom' }))
        }
      }
      if (gpu.xid !== null && gpu.xid > 0) {
        const name = XID_NAMES[Math.round(gpu.xid)]
        const code = `XID ${Math.round(gpu.xid)}`
        flags.push(flag({ key: where, kind: 'xid', severity: 'critical', where, node: node.node, what: 'XID error', value: gpu.xid, threshold: 0, shownValue: name ? `${code} (${name})` : code, shownThreshold: 'none', headline: `${where} ${code}${name ? ` (${name})` : ''}`, text: `${where} reported ${code}${name ? ` (${name})` : ''}: look at its workers' restarts and the node's kernel log.`, failureClass: 'accelerator-hardware-fault' }))
      }
      if (gpu.throttledShare !== null && gpu.throttledShare > t.thermalThrottleShare) {
        flags.push(flag({ key: where, kind: 'thermal-throttling', severity: 'warning', where, node: node.node, what: 'thermal throttling', value: gpu.throttledShare, threshold: t.thermalThrottleShare, shownValue: formatShare(gpu.throttledShare), shownThreshold: formatShare(t.thermalThrottleShare), text: `${where} was thermally throttled ${formatShare(gpu.throttledShare)} of the time${gpu.temperatureC !== null ? ` at ${Math.round(gpu.temperatureC)} °C` : ''}, over the ${formatShare(t.thermalThrottleShare)} threshold.`, failureClass: 'accelerator-hardware-fault' }))
      }
    }
    if (node.gpusAllocatable !== null && node.gpus.length > 0 && node.gpus.length < node.gpusAllocatable) {
      flags.push(flag({ key: node.node, kind: 'gpu-missing', severity: 'warning', where: node.node, node: node.node, what: 'GPUs reported', value: node.gpus.length, threshold: node.gpusAllocatable, shownValue: String(node.gpus.length), shownThreshold: `${formatCount(node.gpusAllocatable)} allocatable`, text: `Kubernetes counts ${formatCount(node.gpusAllocatable)} allocatable GPUs on ${node.node} but dcgm-exporter reports ${node.gpus.length}: a GPU may have fallen off the bus.`, failureClass: 'accelerator-hardware-fault' }))
    }
    if (node.gpusAllocatable !== null && node.gpusRequested !== null && node.gpusRequested > node.gpusAllocatable) {
      flags.push(flag({ key: node.node, kind: 'misplacement', severity: 'critical', where: node.node, node: node.node, what: 'GPUs requested', value: node.gpusRequested, threshold: node.gpusAllocatable, shownValue: formatCount(node.gpusRequested), shownThreshold: `${formatCount(node.gpusAllocatable)} allocatable`, headline: `${node.node} GPUs requested ${formatCount(node.gpusRequested)} of ${formatCount(node.gpusAllocatable)} allocatable`, text: `${node.node} has ${formatCount(node.gpusAllocatable)} allocatable GPUs and ${formatCount(node.gpusRequested)} requested: no free GPU for the models placed on it.`, failureClass: 'misrouting' }))
    }
  }

  const pipelineTraffic = new Map(pipelines.map((p) => [p.pipeline, p.gatewayRequestsPerSecond]))
  for (const c of containers) {
    const node = c.node ? nodeByName.get(c.node) : undefined
    const where = c.node ? `${c.key} on ${c.node}` : c.key
    // the summary line names a pod without its namespace: it is in the row, and the line must stay short
    const short = c.node ? `${c.pod} on ${c.node}` : c.pod
    const common = { key: c.key, node: c.node, pod: c.key, pipeline: c.pipeline, where }

    const misplacement = misplacementOf(c, node, config)
    if (misplacement) flags.push(flag({ ...common, kind: 'misplacement', severity: 'critical', ...misplacement, failureClass: 'misrouting' }))

    if (c.kvCacheUsage !== null && c.kvCacheUsage > t.kvCacheUsage) {
      flags.push(flag({ ...common, kind: 'kv-cache', severity: 'warning', what: 'KV cache', value: c.kvCacheUsage, threshold: t.kvCacheUsage, shownValue: formatShare(c.kvCacheUsage), shownThreshold: formatShare(t.kvCacheUsage), headline: `${short} KV cache ${formatShare(c.kvCacheUsage)} (threshold ${formatShare(t.kvCacheUsage)})`, text: `${where}: the KV cache is ${formatShare(c.kvCacheUsage)} full${c.requestsWaiting ? ` with ${formatCount(c.requestsWaiting)} requests waiting` : ''}, over the ${formatShare(t.kvCacheUsage)} threshold.`, failureClass: 'gpu-oom' }))
    }
    if (c.preemptionsPerSecond !== null && c.preemptionsPerSecond > t.preemptionsPerSecond) {
      flags.push(flag({ ...common, kind: 'preemptions', severity: 'warning', what: 'preemptions', value: c.preemptionsPerSecond, threshold: t.preemptionsPerSecond, shownValue: formatRate(c.preemptionsPerSecond), shownThreshold: formatRate(t.preemptionsPerSecond), headline: `${short} preemptions ${formatRate(c.preemptionsPerSecond)} (threshold ${formatRate(t.preemptionsPerSecond)})`, text: `${where}: vLLM preempts requests at ${formatRate(c.preemptionsPerSecond)} because the KV cache cannot hold the running batch (threshold ${formatRate(t.preemptionsPerSecond)}).`, failureClass: 'gpu-oom' }))
    }

    const restarted = c.restartsInWindow !== null && c.restartsInWindow >= t.restartsInWindow
    const restartsText = restarted ? `restarted ${formatCount(c.restartsInWindow!)} time${Math.round(c.restartsInWindow!) === 1 ? '' : 's'} in the last ${config.windows.restarts}${c.lastTerminatedReason ? ` (last terminated: ${c.lastTerminatedReason})` : ''}` : ''
    const silence = c.silence
    const traffic = c.gatewayRequestsPerSecond ?? (c.pipeline ? (pipelineTraffic.get(c.pipeline) ?? null) : null)
    const shouldServe = traffic !== null ? traffic >= t.gatewayRequestsPerSecond : !t.silenceNeedsTraffic
    const isSilent = silence !== null && silence.seconds > t.silenceSeconds && shouldServe
    if (isSilent) {
      const how = silence.sinceAppeared ? `has emitted nothing since it appeared ${formatDuration(silence.seconds)} ago` : `has emitted nothing for ${silence.atLeast ? 'at least ' : ''}${formatDuration(silence.seconds)}`
      const load = traffic !== null ? ` while the gateway sends ${c.gatewayRequestsPerSecond !== null ? 'it' : `pipeline ${c.pipeline}`} ${formatRate(traffic)}` : ''
      const state = silence.sinceAppeared ? ' (silent during load: a loading failure)' : silence.atLeast ? '' : ' (silent after it had been serving: a runtime failure)'
      // the restarts of a silent container are part of the same story (startup probes, crash loops): one flag, not two
      const restarts = restarted ? ` It ${restartsText}.` : ''
      flags.push(flag({ ...common, kind: 'silence', severity: 'critical', what: 'silent', value: silence.seconds, threshold: t.silenceSeconds, shownValue: `${silence.atLeast ? '≥ ' : ''}${formatDuration(silence.seconds)}`, shownThreshold: formatDuration(t.silenceSeconds), headline: `${short} silent ${silence.atLeast ? '≥ ' : ''}${formatDuration(silence.seconds)} (threshold ${formatDuration(t.silenceSeconds)})`, text: `${where} ${how}${load}${state}.${restarts}`, failureClass: silenceClass(c) }))
    } else if (restarted) {
      flags.push(flag({ ...common, kind: 'restarts', severity: c.lastTerminatedReason === 'OOMKilled' ? 'critical' : 'warning', what: `restarts in ${config.windows.restarts}`, value: c.restartsInWindow!, threshold: t.restartsInWindow, shownValue: formatCount(c.restartsInWindow!), shownThreshold: formatCount(t.restartsInWindow), headline: `${short} restarts in ${config.windows.restarts} ${formatCount(c.restartsInWindow!)} (threshold ${formatCount(t.restartsInWindow)})`, text: `${where} ${restartsText}.`, failureClass: restartClass(c, node, config) }))
    }
  }

  for (const p of pipelines) {
    const depth = p.deadLetter?.ready
    if (depth !== null && depth !== undefined && depth >= t.deadLetterMessages) {
      flags.push(flag({ key: p.pipeline, kind: 'dead-letters', severity: 'warning', where: `pipeline ${p.pipeline}`, pipeline: p.pipeline, what: 'dead letters', value: depth, threshold: t.deadLetterMessages, shownValue: formatCount(depth), shownThreshold: formatCount(t.deadLetterMessages), text: `The dead-letter queue ${p.deadLetter!.name} of ${p.pipeline} holds ${formatCount(depth)} messages${p.queue?.unacked !== null && p.queue?.unacked !== undefined ? ` (${formatCount(p.queue.unacked)} in flight)` : ''}.`, failureClass: 'queue-stall-dead-letters' }))
    }
  }

  const rank = (f: Flag) => (f.severity === 'critical' ? 0 : 1) * 100 + ORDER.indexOf(f.kind)
  return flags.sort((a, b) => rank(a) - rank(b) || a.where.localeCompare(b.where, 'en', { numeric: true }))
}

/** A GPU model on a node without a GPU, or without the GPU memory it needs. */
function misplacementOf(c: ContainerRow, node: NodeRow | undefined, config: FleetConfig): Pick<Flag, 'what' | 'value' | 'threshold' | 'shownValue' | 'shownThreshold' | 'text' | 'headline'> | null {
  const model = c.model ? config.models[c.model] : undefined
  const requiresGpu = c.model ? (model?.requiresGpu ?? config.modelsRequireGpu) : (c.gpusRequested ?? 0) > 0
  const allocatable = node?.gpusAllocatable ?? null
  const name = c.model ?? c.key
  if (requiresGpu && allocatable === 0) {
    return { what: 'GPUs on node', value: 0, threshold: 1, shownValue: '0', shownThreshold: '1', headline: `${name} on ${c.node}: no GPU on the node`, text: `${name} runs on ${c.node}, which has no allocatable GPU: a GPU model on a CPU node.` }
  }
  if (requiresGpu && c.model && c.gpusRequested === 0) {
    return { what: 'GPUs requested', value: 0, threshold: 1, shownValue: '0', shownThreshold: '1', headline: `${c.key} serves ${c.model} without a GPU`, text: `${c.key} serves ${c.model} without requesting a GPU${c.node ? ` on ${c.node}` : ''}.` }
  }
  const perGpuMiB = node && node.gpus.length ? Math.max(...node.gpus.map((g) => g.memoryTotalMiB ?? 0)) : 0
  if (model?.gpuMemoryMiB && c.gpusRequested && perGpuMiB > 0) {
    const capacity = c.gpusRequested * perGpuMiB
    if (model.gpuMemoryMiB > capacity) {
      return { what: 'GPU memory for the model', value: capacity, threshold: model.gpuMemoryMiB, shownValue: formatGiB(capacity), shownThreshold: formatGiB(model.gpuMemoryMiB), headline: `${c.model} on ${c.node}: ${formatGiB(capacity)} of GPU memory for a model that needs ${formatGiB(model.gpuMemoryMiB)}`, text: `${c.model} needs ${formatGiB(model.gpuMemoryMiB)} of GPU memory; ${c.key} on ${c.node} has ${formatCount(c.gpusRequested)} GPU${c.gpusRequested === 1 ? '' : 's'} of ${formatGiB(perGpuMiB)}.` }
    }
  }
  return null
}

/** Seed 004: silence during load is a loading failure; silence after serving is a runtime one (OOM-killed). */
function silenceClass(c: ContainerRow): string | null {
  if (c.silence?.sinceAppeared) return 'slow-model-loading'
  if (c.lastOutputAt !== null || c.lastTerminatedReason === 'OOMKilled') return 'container-oom-killed'
  return null
}

function restartClass(c: ContainerRow, node: NodeRow | undefined, config: FleetConfig): string | null {
  if (c.lastTerminatedReason === 'OOMKilled') return 'container-oom-killed'
  const gpuPressure = (node?.maxMemoryShare ?? 0) > config.thresholds.gpuMemoryShare || (c.kvCacheUsage ?? 0) > config.thresholds.kvCacheUsage
  // CUDA out-of-memory ends the server with an ordinary error, not OOMKilled
  if (gpuPressure) return 'gpu-oom'
  return null
}

const SUMMARY_ITEMS = 5

/** The line at the top of the view: "2 flags: gpu-node-2 GPU 0 GPU memory 98 % (threshold 95 %); …", most severe first. */
export function summarizeFlags(flags: Flag[]): string {
  if (flags.length === 0) return 'No flags: nothing in the fleet crosses a threshold.'
  const items = flags.slice(0, SUMMARY_ITEMS).map((f) => f.headline)
  if (flags.length > SUMMARY_ITEMS) items.push(`and ${flags.length - SUMMARY_ITEMS} more`)
  return `${flags.length} flag${flags.length === 1 ? '' : 's'}: ${items.join('; ')}`
}
