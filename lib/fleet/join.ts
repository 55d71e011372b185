/**
 * The join: query results in, one fleet view out. Pure: no backend, no clock (the moment comes in), so every rule is
 * unit-tested on its own. How rows are keyed and matched is written down in README.md beside this file.
 */
import type { InstantSample, RangeSeries } from '@/lib/telemetry/metrics-source'
import { queueNamesFor, type FleetConfig, type FleetQueryId } from './config'
import { detectFlags, summarizeFlags } from './flags'
import { formatDuration } from './format'
import type { ContainerRow, FleetView, GpuRow, NodeRow, PipelineRow, QueueDepth } from './types'

/** A query's result, or undefined when it failed (its columns are then unknown, not empty). */
export interface FleetResults {
  instant: Partial<Record<FleetQueryId, InstantSample[]>>
  range: Partial<Record<FleetQueryId, RangeSeries[]>>
}

export interface JoinOptions {
  at: Date
  /** show only this pipeline's containers, the nodes they run on and its queues */
  pipeline?: string | null
}

interface Note {
  text: string
  node?: string
  pod?: string
  pipeline?: string
}

interface PodDraft {
  namespace: string
  pod: string
  containers: Set<string>
  node: string | null
  isPresent: boolean
  isServingNow: boolean
  model: string | null
  pipeline: string | null
  instance: string | null
  gpusRequested: number | null
  lastOutput: number | null
  firstSeen: number | null
  restarts: number | null
  restartsInWindow: number | null
  reasons: Set<string>
  requestsRunning: number | null
  requestsWaiting: number | null
  kvCacheUsage: number | null
  preemptionsPerSecond: number | null
}

interface GatewayEntry {
  pipeline: string
  upstreamHost: string
  code: string
  perSecond: number
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

function hostOf(address: string): string {
  return address.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '')
}

function add(current: number | null, value: number): number {
  return (current ?? 0) + value
}

/** dcgm-exporter's Hostname may be the node's FQDN or its short name; kube-state-metrics has the node name. */
function nodeResolver(knownNodes: Set<string>): (host: string) => string {
  const byShortName = new Map([...knownNodes].map((n) => [n.split('.')[0], n]))
  return (host) => (knownNodes.has(host) ? host : (byShortName.get(host.split('.')[0]) ?? host))
}

export function joinFleet(results: FleetResults, config: FleetConfig, options: JoinOptions): FleetView {
  const l = config.labels
  const at = options.at.getTime() / 1000
  const instant = (id: FleetQueryId) => results.instant[id]
  const notes: Note[] = []

  // nodes as Kubernetes knows them
  const allocatable = new Map<string, number>()
  for (const s of instant('gpuAllocatable') ?? []) if (s.labels[l.node]) allocatable.set(s.labels[l.node], s.value[1])
  const requestedOnNode = new Map<string, number>()
  for (const s of instant('gpuRequests') ?? []) {
    const node = s.labels[l.node]
    if (node) requestedOnNode.set(node, (requestedOnNode.get(node) ?? 0) + s.value[1])
  }

  // pods: every source adds what it knows about a namespace/pod
  const pods = new Map<string, PodDraft>()
  const podOf = (labels: Record<string, string>): PodDraft | null => {
    const namespace = labels[l.namespace]
    const pod = labels[l.pod]
    if (!namespace || !pod) return null
    const key = `${namespace}/${pod}`
    let draft = pods.get(key)
    if (!draft) {
      draft = { namespace, pod, containers: new Set(), node: null, isPresent: false, isServingNow: false, model: null, pipeline: null, instance: null, gpusRequested: null, lastOutput: null, firstSeen: null, restarts: null, restartsInWindow: null, reasons: new Set(), requestsRunning: null, requestsWaiting: null, kvCacheUsage: null, preemptionsPerSecond: null }
      pods.set(key, draft)
    }
    return draft
  }
  const identify = (draft: PodDraft, labels: Record<string, string>) => {
    draft.model ??= labels[l.model] || null
    draft.pipeline ??= labels[l.pipeline] || null
    draft.instance ??= labels[l.instance] || null
  }
  for (const s of instant('podInfo') ?? []) {
    const draft = podOf(s.labels)
    if (!draft) continue
    draft.isPresent = true
    draft.node = s.labels[l.node] || draft.node
  }
  for (const s of instant('gpuRequests') ?? []) {
    const draft = podOf(s.labels)
    if (!draft) continue
    // kube-state-metrics only exports requests of pods that exist
    draft.isPresent = true
    draft.node ??= s.labels[l.node] || null
    if (s.labels[l.container]) draft.containers.add(s.labels[l.container])
    draft.gpusRequested = add(draft.gpusRequested, s.value[1])
  }
  const serving: [FleetQueryId, (d: PodDraft, v: number) => void][] = [
    ['requestsRunning', (d, v) => (d.requestsRunning = add(d.requestsRunning, v))],
    ['requestsWaiting', (d, v) => (d.requestsWaiting = add(d.requestsWaiting, v))],
    ['kvCacheUsage', (d, v) => (d.kvCacheUsage = Math.max(d.kvCacheUsage ?? 0, v))],
    ['preemptions', (d, v) => (d.preemptionsPerSecond = add(d.preemptionsPerSecond, v))],
  ]
  for (const [id, set] of serving) {
    for (const s of instant(id) ?? []) {
      const draft = podOf(s.labels)
      if (!draft) continue
      draft.isServingNow = true
      identify(draft, s.labels)
      set(draft, s.value[1])
    }
  }
  for (const series of results.range.lastOutput ?? []) {
    const draft = podOf(series.labels)
    if (!draft || series.points.length === 0) continue
    identify(draft, series.labels)
    draft.lastOutput = Math.max(draft.lastOutput ?? -Infinity, ...series.points.map(([, v]) => v))
  }
  for (const series of results.range.podFirstSeen ?? []) {
    const draft = pods.get(`${series.labels[l.namespace]}/${series.labels[l.pod]}`)
    if (!draft || series.points.length === 0) continue
    draft.firstSeen = Math.min(draft.firstSeen ?? Infinity, ...series.points.map(([, v]) => v))
  }
  const perContainer: [FleetQueryId, (d: PodDraft, v: number, labels: Record<string, string>) => void][] = [
    ['restarts', (d, v) => (d.restarts = add(d.restarts, v))],
    ['restartsInWindow', (d, v) => (d.restartsInWindow = add(d.restartsInWindow, v))],
    ['lastTerminated', (d, _v, labels) => labels[l.reason] && d.reasons.add(labels[l.reason])],
  ]
  for (const [id, set] of perContainer) {
    for (const s of instant(id) ?? []) {
      const draft = pods.get(`${s.labels[l.namespace]}/${s.labels[l.pod]}`)
      if (!draft) continue
      if (s.labels[l.container]) draft.containers.add(s.labels[l.container])
      set(draft, s.value[1], s.labels)
    }
  }
  // a restart counter that exists says "no restarts" for the pods it does not mention in the window
  for (const draft of pods.values()) {
    if (draft.restarts !== null && draft.restartsInWindow === null && instant('restartsInWindow') !== undefined) draft.restartsInWindow = 0
  }

  // serving containers: pods that exist now and hold a GPU or serve a model (the rest of the cluster is not shown)
  const servingPods = [...pods.values()].filter((d) => (d.isPresent || d.isServingNow) && ((d.gpusRequested ?? 0) > 0 || d.isServingNow || d.lastOutput !== null))
  const knownNodes = new Set<string>([...allocatable.keys(), ...requestedOnNode.keys(), ...servingPods.flatMap((d) => (d.node ? [d.node] : []))])
  const resolveNode = nodeResolver(knownNodes)
  for (const draft of servingPods) {
    if (!draft.node && draft.instance) {
      const host = resolveNode(hostOf(draft.instance))
      if (knownNodes.has(host)) draft.node = host
    }
  }

  // the gateway's traffic, by pipeline and upstream
  const gatewayFailed = instant('gatewayRequests') === undefined
  const gateway: GatewayEntry[] = (instant('gatewayRequests') ?? []).map((s) => ({
    pipeline: s.labels[l.gatewayPipeline] ?? '',
    upstreamHost: hostOf(s.labels[l.gatewayUpstream] ?? ''),
    code: s.labels[l.gatewayCode] ?? '',
    perSecond: Number.isFinite(s.value[1]) ? s.value[1] : 0,
  }))

  // pipelines: from the gateway, the serving labels and the queue configuration
  const pipelineNames = new Set<string>([...gateway.map((g) => g.pipeline), ...servingPods.map((d) => d.pipeline ?? ''), ...Object.keys(config.queues.pipelines)].filter(Boolean))
  // a pod that has not emitted yet has no serving labels: Deployments name pods after themselves ("rag-chat-5b8e21-0")
  const byLength = [...pipelineNames].sort((a, b) => b.length - a.length)
  for (const draft of servingPods) draft.pipeline ??= byLength.find((p) => draft.pod.startsWith(`${p}-`)) ?? null

  const containers = servingPods.map((d) => toContainerRow(d, gateway, gatewayFailed, at, config, results)).sort((a, b) => byName(a.node ?? '~', b.node ?? '~') || byName(a.key, b.key))

  // GPUs, by the node dcgm-exporter says they are on
  const gpus = new Map<string, Map<string, GpuRow>>()
  const perGpu: [FleetQueryId, (g: GpuRow, v: number) => void][] = [
    ['gpuMemoryUsed', (g, v) => (g.memoryUsedMiB = v)],
    ['gpuMemoryFree', (g, v) => (g.memoryTotalMiB = v)],
    ['gpuUtilisation', (g, v) => (g.utilisation = v)],
    ['gpuTemperature', (g, v) => (g.temperatureC = v)],
    ['gpuThrottle', (g, v) => (g.throttledShare = v)],
    ['xidErrors', (g, v) => (g.xid = v)],
  ]
  const freeMiB = new Map<GpuRow, number>()
  for (const [id, set] of perGpu) {
    for (const s of instant(id) ?? []) {
      const host = s.labels[l.gpuHost]
      const gpuId = s.labels[l.gpu]
      if (!host || gpuId === undefined) continue
      const node = resolveNode(host)
      const onNode = gpus.get(node) ?? new Map<string, GpuRow>()
      gpus.set(node, onNode)
      let gpu = onNode.get(gpuId)
      if (!gpu) {
        gpu = { gpu: gpuId, model: null, memoryUsedMiB: null, memoryTotalMiB: null, utilisation: null, temperatureC: null, throttledShare: null, xid: null }
        onNode.set(gpuId, gpu)
      }
      gpu.model ??= s.labels[l.gpuModel] || null
      if (id === 'gpuMemoryFree') freeMiB.set(gpu, s.value[1])
      else set(gpu, s.value[1])
    }
  }
  // dcgm-exporter reports used and free; the total is their sum
  for (const onNode of gpus.values()) {
    for (const gpu of onNode.values()) {
      const free = freeMiB.get(gpu)
      gpu.memoryTotalMiB = gpu.memoryUsedMiB !== null && free !== undefined ? gpu.memoryUsedMiB + free : null
    }
  }

  const nodeNames = [...new Set([...allocatable.keys(), ...gpus.keys(), ...containers.flatMap((c) => (c.node ? [c.node] : []))])].sort(byName)
  const allocatableKnown = (instant('gpuAllocatable') ?? []).length > 0
  const requestsKnown = instant('gpuRequests') !== undefined
  const nodes = nodeNames.map((node) => toNodeRow(node, [...(gpus.get(node)?.values() ?? [])].sort((a, b) => byName(a.gpu, b.gpu)), allocatableKnown ? (allocatable.get(node) ?? 0) : null, requestsKnown ? (requestedOnNode.get(node) ?? 0) : null, containers))

  const pipelineRows = [...pipelineNames].sort(byName).map((p) => toPipelineRow(p, gateway, gatewayFailed, containers, results, config))

  notes.push(...missingNotes(results, config, nodes, containers, pipelineRows))

  // the pipeline filter: its containers, the nodes they run on, its own row
  const pipeline = options.pipeline || null
  const shownContainers = pipeline ? containers.filter((c) => c.pipeline === pipeline) : containers
  const shownNodeNames = new Set(shownContainers.flatMap((c) => (c.node ? [c.node] : [])))
  const shownNodes = pipeline ? nodes.filter((n) => shownNodeNames.has(n.node)) : nodes
  const shownPipelines = pipeline ? pipelineRows.filter((p) => p.pipeline === pipeline) : pipelineRows
  const shownPods = new Set(shownContainers.map((c) => c.key))
  const shownNotes = pipeline ? notes.filter((n) => (!n.node || shownNodeNames.has(n.node)) && (!n.pod || shownPods.has(n.pod)) && (!n.pipeline || n.pipeline === pipeline)) : notes

  const flags = detectFlags({ nodes: shownNodes, containers: shownContainers, pipelines: shownPipelines, config })
  return {
    at: options.at.toISOString(),
    pipeline,
    pipelines: [...pipelineNames].sort(byName),
    nodes: shownNodes.map((n) => ({ ...n, pods: n.pods.filter((p) => shownPods.has(p)) })),
    containers: shownContainers,
    pipelineRows: shownPipelines,
    flags,
    summary: summarizeFlags(flags),
    missing: [...new Set(shownNotes.map((n) => n.text))],
  }
}

function toContainerRow(d: PodDraft, gateway: GatewayEntry[], gatewayFailed: boolean, at: number, config: FleetConfig, results: FleetResults): ContainerRow {
  const hosts = new Set([d.node, d.pod, d.instance ? hostOf(d.instance) : null].filter((h): h is string => !!h))
  const matching = gateway.filter((g) => hosts.has(g.upstreamHost) && (!d.pipeline || !g.pipeline || g.pipeline === d.pipeline))
  const lookbackStart = at - config.windows.livenessLookbackMinutes * 60
  let silence: ContainerRow['silence'] = null
  if (d.lastOutput !== null) {
    silence = { seconds: Math.max(0, at - d.lastOutput), sinceAppeared: false, atLeast: false }
  } else if (results.range.lastOutput !== undefined) {
    // nothing in the lookback: silent since the pod appeared, or for at least the lookback if it is older
    const appearedInWindow = d.firstSeen !== null && d.firstSeen > lookbackStart + config.windows.livenessStepSeconds
    silence = appearedInWindow ? { seconds: at - d.firstSeen!, sinceAppeared: true, atLeast: false } : { seconds: at - lookbackStart, sinceAppeared: false, atLeast: true }
  }
  const reasons = [...d.reasons]
  return {
    key: `${d.namespace}/${d.pod}`,
    namespace: d.namespace,
    pod: d.pod,
    containers: [...d.containers].sort(),
    node: d.node,
    pipeline: d.pipeline,
    model: d.model,
    gpusRequested: d.gpusRequested ?? (results.instant.gpuRequests !== undefined ? 0 : null),
    lastOutputAt: d.lastOutput !== null ? new Date(d.lastOutput * 1000).toISOString() : null,
    firstSeenAt: d.firstSeen !== null ? new Date(d.firstSeen * 1000).toISOString() : null,
    silence,
    restarts: d.restarts,
    restartsInWindow: d.restartsInWindow,
    lastTerminatedReason: reasons.includes('OOMKilled') ? 'OOMKilled' : (reasons.sort()[0] ?? null),
    requestsRunning: d.requestsRunning,
    requestsWaiting: d.requestsWaiting,
    kvCacheUsage: d.kvCacheUsage,
    preemptionsPerSecond: d.preemptionsPerSecond,
    gatewayRequestsPerSecond: gatewayFailed || matching.length === 0 ? null : matching.reduce((sum, g) => sum + g.perSecond, 0),
  }
}

function toNodeRow(node: string, gpus: GpuRow[], gpusAllocatable: number | null, gpusRequested: number | null, containers: ContainerRow[]): NodeRow {
  const withMemory = gpus.filter((g) => g.memoryUsedMiB !== null && g.memoryTotalMiB !== null && g.memoryTotalMiB > 0)
  const values = (pick: (g: GpuRow) => number | null) => gpus.map(pick).filter((v): v is number => v !== null && Number.isFinite(v))
  const util = values((g) => g.utilisation)
  const temps = values((g) => g.temperatureC)
  const throttle = values((g) => g.throttledShare)
  return {
    node,
    gpuModels: [...new Set(gpus.flatMap((g) => (g.model ? [g.model] : [])))],
    gpusAllocatable,
    gpusRequested,
    gpusFree: gpusAllocatable !== null && gpusRequested !== null ? gpusAllocatable - gpusRequested : null,
    memoryUsedMiB: withMemory.length ? withMemory.reduce((s, g) => s + g.memoryUsedMiB!, 0) : null,
    memoryTotalMiB: withMemory.length ? withMemory.reduce((s, g) => s + g.memoryTotalMiB!, 0) : null,
    maxMemoryShare: withMemory.length ? Math.max(...withMemory.map((g) => g.memoryUsedMiB! / g.memoryTotalMiB!)) : null,
    utilisation: util.length ? util.reduce((a, b) => a + b, 0) / util.length : null,
    maxTemperatureC: temps.length ? Math.max(...temps) : null,
    maxThrottledShare: throttle.length ? Math.max(...throttle) : null,
    gpus,
    pods: containers.filter((c) => c.node === node).map((c) => c.key),
  }
}

function toPipelineRow(pipeline: string, gateway: GatewayEntry[], gatewayFailed: boolean, containers: ContainerRow[], results: FleetResults, config: FleetConfig): PipelineRow {
  const traffic = gateway.filter((g) => g.pipeline === pipeline)
  const total = traffic.reduce((s, g) => s + g.perSecond, 0)
  const errors = traffic.filter((g) => g.code.startsWith('5')).reduce((s, g) => s + g.perSecond, 0)
  const names = queueNamesFor(pipeline, config)
  return {
    pipeline,
    gatewayRequestsPerSecond: gatewayFailed || traffic.length === 0 ? null : total,
    gatewayErrorShare: gatewayFailed || traffic.length === 0 || total === 0 ? null : errors / total,
    queue: queueDepth(names.queue, results, config),
    deadLetter: queueDepth(names.deadLetterQueue, results, config),
    containers: containers.filter((c) => c.pipeline === pipeline).length,
  }
}

/** null when the queue metrics do not mention the queue; nulls inside when a query failed. */
function queueDepth(name: string, results: FleetResults, config: FleetConfig): QueueDepth | null {
  const pick = (id: FleetQueryId) => {
    const samples = results.instant[id]
    if (samples === undefined) return undefined
    return samples.find((s) => s.labels[config.labels.queue] === name)?.value[1] ?? null
  }
  const ready = pick('queueReady')
  const unacked = pick('queueUnacked')
  if (ready === null && (unacked === null || unacked === undefined)) return null
  if (ready === undefined && unacked === undefined) return { name, ready: null, unacked: null }
  return { name, ready: ready ?? null, unacked: unacked ?? null }
}

function missingNotes(results: FleetResults, config: FleetConfig, nodes: NodeRow[], containers: ContainerRow[], pipelines: PipelineRow[]): Note[] {
  const notes: Note[] = []
  const m = config.metrics
  const isEmpty = (id: FleetQueryId) => results.instant[id] !== undefined && results.instant[id]!.length === 0
  const names = (metrics: string[]) => metrics.join(' or ')
  if (isEmpty('gpuAllocatable')) notes.push({ text: `No allocatable-GPU series (${names(m.gpuAllocatable.metrics)}{${m.gpuAllocatable.matchers}}): free GPUs per node cannot be shown.` })
  if (isEmpty('podInfo') && isEmpty('gpuRequests')) notes.push({ text: `No kube-state-metrics pod series (${names(m.podInfo.metrics)}, ${names(m.gpuRequests.metrics)}): placement comes from the serving metrics alone.` })
  if (isEmpty('gpuMemoryUsed')) {
    notes.push({ text: `No dcgm-exporter metrics at all (${names(m.gpuMemoryUsed.metrics)}): GPU memory, utilisation, temperature and XID errors cannot be shown.` })
  } else if (results.instant.gpuMemoryUsed !== undefined) {
    for (const node of nodes) {
      const expectsGpus = (node.gpusAllocatable ?? 0) > 0 || (node.gpusRequested ?? 0) > 0
      if (expectsGpus && node.gpus.length === 0) notes.push({ node: node.node, text: `No dcgm-exporter metrics for node ${node.node}: its GPU memory, utilisation, temperature and XID errors are unknown.` })
    }
    if (isEmpty('gpuThrottle')) notes.push({ text: `No GPU throttling metric (${names(m.gpuThermalViolation.metrics)}, off in dcgm-exporter's default counters): throttling is not shown.` })
  }
  if (isEmpty('gatewayRequests')) {
    notes.push({ text: `No gateway traffic series (${names(m.gatewayRequests.metrics)}{${m.gatewayRequests.matchers}}): Firebreak cannot tell whether a silent container should be serving.` })
  }
  for (const c of containers) {
    const judgedWithoutTraffic = c.silence && c.silence.seconds > config.thresholds.silenceSeconds && config.thresholds.silenceNeedsTraffic
    const pipelineTraffic = pipelines.find((p) => p.pipeline === c.pipeline)?.gatewayRequestsPerSecond ?? null
    if (judgedWithoutTraffic && c.gatewayRequestsPerSecond === null && pipelineTraffic === null) {
      notes.push({ pod: c.key, text: `${c.key} has emitted nothing for ${c.silence!.atLeast ? 'at least ' : ''}${formatDuration(c.silence!.seconds)}, but no gateway traffic series say whether it should be serving.` })
    }
  }
  if (isEmpty('queueReady') && (results.instant.queueUnacked?.length ?? 0) === 0) {
    notes.push({ text: `No queue metrics (${names(m.queueReady.metrics)}): queue depth, in-flight and dead letters are not shown.` })
  } else if (results.instant.queueReady !== undefined) {
    for (const p of pipelines) {
      const names = queueNamesFor(p.pipeline, config)
      if (!p.queue) notes.push({ pipeline: p.pipeline, text: `No queue named “${names.queue}” in the queue metrics for pipeline ${p.pipeline}: set fleet.queues.pipelines.${p.pipeline}.queue.` })
      if (!p.deadLetter) notes.push({ pipeline: p.pipeline, text: `No dead-letter queue named “${names.deadLetterQueue}” in the queue metrics for pipeline ${p.pipeline}: set fleet.queues.pipelines.${p.pipeline}.deadLetterQueue.` })
    }
  }
  return notes
}
