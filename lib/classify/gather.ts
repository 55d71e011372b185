/**
 * Gathers the evidence for one wizard step over an incident: the rules' PromQL through the MetricsSource, the trace
 * detectors over the pipeline's traces in the incident window, and the incident's own alerts. One bounded batch per
 * step with a deadline: whatever has not answered by then is "missing", with the reason, and the proposal is made on
 * what did answer (./evaluate.ts lowers its confidence by the evidence it could not see).
 *
 * The I/O is here; every decision (scope, rendering, evaluation) is a pure function tested on its own.
 */
import type { FleetConfig } from '@/lib/fleet/config'
import { MetricsSourceError, type MetricsSource, type RangeSeries } from '@/lib/telemetry/metrics-source'
import type { TraceConfig } from '@/lib/traces/config'
import { detectFindings } from '@/lib/traces/detectors'
import type { Trace, TraceSearch, TraceSource } from '@/lib/traces/model'
import { proposeStep, type EvaluateOptions, type Observations, type StepProposal, evaluateRule } from './evaluate'
import type { EvidenceSource, RecordedEvidence } from './record'
import { renderTemplate, TemplateError, templateParams, variantCount, type Scope, type TemplateParams } from './render'
import { DEFAULT_RULES, type Rule, type Step } from './rules'

export interface IncidentForClassification {
  number: number
  pipeline: string | null
  models: string[]
  startedAt: Date
  resolvedAt: Date | null
  alerts: { labels: Record<string, string>; status: string }[]
}

export interface GatherOptions {
  metrics: MetricsSource | null
  /** empty: no trace backend configured */
  traces: TraceSource[]
  fleet: FleetConfig
  traceConfig: TraceConfig
  now: Date
  /** the whole step's deadline */
  timeoutMs?: number
  /** minutes of lead-in before the incident started, so the window shows the change */
  leadMinutes?: number
  /** traces of the pipeline examined, newest first */
  maxTraces?: number
  /** queries in flight at once */
  concurrency?: number
  rules?: Rule[]
  evaluate?: Omit<EvaluateOptions, 'rules'>
}

export interface EvidenceChart {
  ruleId: string
  points: [number, number][]
}

export interface EvidenceSpan {
  ruleId: string
  traceId: string
  spanId: string | null
  title: string
}

export interface BackendState {
  name: string
  state: 'ok' | 'down' | 'timeout' | 'none'
  detail?: string
}

export interface GatheredStep {
  step: Step
  window: { start: string; end: string }
  scope: Scope
  proposal: StepProposal
  evidence: RecordedEvidence[]
  charts: EvidenceChart[]
  spans: EvidenceSpan[]
  /** what could not be looked at and why, in words, before the per-rule gaps */
  notes: string[]
  backends: { metrics: BackendState; traces: BackendState }
  /** the answers of this step that some rule bears on; the others Firebreak cannot judge from telemetry at all */
  answersWithRules: string[]
  elapsedMs: number
}

export const DEFAULT_TIMEOUT_MS = 5_000

/** The window the evidence covers: a lead-in before the start, up to resolution or now. */
export function incidentWindow(incident: Pick<IncidentForClassification, 'startedAt' | 'resolvedAt'>, now: Date, leadMinutes = 15): { start: Date; end: Date } {
  const end = incident.resolvedAt && incident.resolvedAt < now ? incident.resolvedAt : now
  const start = new Date(Math.min(incident.startedAt.getTime(), end.getTime()) - leadMinutes * 60_000)
  return { start, end }
}

/** Nodes and pods named by the incident's alerts (node, Hostname, pod, instance host). */
export function scopeFromAlerts(alerts: IncidentForClassification['alerts']): { nodes: string[]; pods: string[] } {
  const nodes = new Set<string>()
  const pods = new Set<string>()
  for (const a of alerts) {
    for (const key of ['node', 'Hostname', 'hostname']) if (a.labels[key]) nodes.add(a.labels[key])
    if (a.labels.pod) pods.add(a.labels.pod)
  }
  return { nodes: [...nodes].sort(), pods: [...pods].sort() }
}

/** The host part of a scrape target (`gpu-node-2:8000` → `gpu-node-2`). */
export function hostOf(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance)
  if (bracketed) return bracketed[1]
  return instance.replace(/:\d+$/, '')
}

/** A rule's query as a peak over the window has an inner expression worth charting over time. */
export function chartExpression(query: string): string | null {
  const m = /^max\(max_over_time\(\((.*)\)\[\d+s:\d+s\]\)\)$/s.exec(query)
  return m ? m[1] : null
}

const SOURCE_OF: Record<Rule['signal']['kind'], EvidenceSource> = { promql: 'prometheus', detector: 'traces', alert: 'alerts' }

function fmtRuleEffects(rule: Rule): string[] {
  return rule.effects.map((e) => `${e.effect === 'supports' ? 'supports' : 'rules out'} ${e.answer} (weight ${e.weight})`)
}

class Deadline {
  constructor(readonly at: number) {}
  remaining(): number {
    return Math.max(0, this.at - Date.now())
  }
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeadlineExceeded()), this.remaining())
      promise.then(
        (v) => {
          clearTimeout(timer)
          resolve(v)
        },
        (e) => {
          clearTimeout(timer)
          reject(e)
        },
      )
    })
  }
}
class DeadlineExceeded extends Error {}

/**
 * Runs tasks with at most `limit` in flight. With a deadline, a task whose turn comes after it is not started at all
 * (it fails with DeadlineExceeded), so a slow backend gets no more queries than it was already asked.
 */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number, deadline?: Deadline): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length)
  let next = 0
  async function worker() {
    while (next < tasks.length) {
      const i = next++
      if (deadline && deadline.remaining() === 0) {
        results[i] = { status: 'rejected', reason: new DeadlineExceeded() }
        continue
      }
      try {
        results[i] = { status: 'fulfilled', value: await tasks[i]() }
      } catch (reason) {
        results[i] = { status: 'rejected', reason }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

// ---------------------------------------------------------------------------------------------------------------
// scope

async function discoverScope(incident: IncidentForClassification, metrics: MetricsSource, fleet: FleetConfig, window: { start: Date; end: Date }, deadline: Deadline): Promise<Scope> {
  const fromAlerts = scopeFromAlerts(incident.alerts)
  const nodes = new Set(fromAlerts.nodes)
  const pods = new Set(fromAlerts.pods)
  const pipeline = incident.pipeline
  if (pipeline) {
    const l = fleet.labels
    const serving = fleet.metrics.requestsRunning.metrics.map((m) => `${m}{${l.pipeline}=${JSON.stringify(pipeline)}}`)
    // pods of the pipeline: those serving it, and those its Deployment owns (a ReplicaSet named <pipeline>-<hash>),
    // so replicas that never came up (loading) are in scope too
    const owned = fleet.metrics.podInfo.metrics.map((m) => `${m}{created_by_name=~${JSON.stringify(`${pipeline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-.*`)}}`)
    const [servingSeries, ownedSeries] = await deadline.race(Promise.all([metrics.series(serving, window), metrics.series(owned, window)]))
    for (const s of servingSeries) {
      if (s[l.pod]) pods.add(s[l.pod])
      if (s[l.instance]) nodes.add(hostOf(s[l.instance]))
    }
    for (const s of ownedSeries) {
      if (s[l.pod]) pods.add(s[l.pod])
      if (s[l.node]) nodes.add(s[l.node])
    }
  }
  return { pipeline, nodes: [...nodes].sort(), pods: [...pods].sort() }
}

// ---------------------------------------------------------------------------------------------------------------
// traces

interface TraceAnalysis {
  findings: Map<string, { count: number; example: EvidenceSpan | null }>
  examined: number
}

/**
 * Which traces to examine: the failed ones first, then an even share from each quarter of the window, so a resolved
 * incident is not judged on the healthy requests after its recovery (a search returns the newest first).
 */
export function traceSearches(window: { start: Date; end: Date }, maxTraces: number, pipeline: string | null): TraceSearch[] {
  const attributes = pipeline ? { attributes: { pipeline } } : {}
  const quarter = (window.end.getTime() - window.start.getTime()) / 4
  const perQuarter = Math.max(1, Math.floor(maxTraces / 5))
  return [
    { start: window.start, end: window.end, status: 'error' as const, limit: Math.max(1, maxTraces - 4 * perQuarter), ...attributes },
    ...[0, 1, 2, 3].map((q) => ({ start: new Date(window.start.getTime() + q * quarter), end: new Date(window.start.getTime() + (q + 1) * quarter), limit: perQuarter, ...attributes })),
  ]
}

async function analyseTraces(incident: IncidentForClassification, sources: TraceSource[], config: TraceConfig, window: { start: Date; end: Date }, maxTraces: number, deadline: Deadline): Promise<TraceAnalysis> {
  const summaries = new Map<string, TraceSource>()
  const searches = traceSearches(window, maxTraces, incident.pipeline)
  const settled = await deadline.race(Promise.allSettled(searches.flatMap((search) => sources.map((source) => source.search(search).then((found) => ({ source, found }))))))
  const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed.length === settled.length && settled.length > 0) throw failed[0].reason
  for (const r of settled) if (r.status === 'fulfilled') for (const t of r.value.found) if (!summaries.has(t.traceId)) summaries.set(t.traceId, r.value.source)
  const ids = [...summaries.entries()].slice(0, maxTraces)
  const traces = await pool(
    ids.map(([id, source]) => () => deadline.race(source.getTrace(id))),
    4,
    deadline,
  )
  const findings = new Map<string, { count: number; example: EvidenceSpan | null }>()
  let examined = 0
  for (const r of traces) {
    if (r.status !== 'fulfilled' || !r.value) continue
    const trace: Trace = r.value
    examined++
    for (const f of detectFindings(trace, config)) {
      const seen = findings.get(f.detector) ?? { count: 0, example: null }
      seen.count++
      seen.example ??= { ruleId: '', traceId: trace.traceId, spanId: f.spanIds[0] ?? null, title: f.summary }
      findings.set(f.detector, seen)
    }
  }
  return { findings, examined }
}

// ---------------------------------------------------------------------------------------------------------------

function describeBackendError(error: unknown, name: string, timeoutMs: number): BackendState {
  if (error instanceof DeadlineExceeded) return { name, state: 'timeout', detail: `${name} did not answer within ${(timeoutMs / 1000).toFixed(1)} s` }
  const message = error instanceof Error ? error.message : String(error)
  return { name, state: 'down', detail: `${name} is unavailable: ${message}` }
}

export async function gatherStep(step: Step, incident: IncidentForClassification, options: GatherOptions): Promise<GatheredStep> {
  const started = Date.now()
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const deadline = new Deadline(started + timeoutMs)
  const rules = (options.rules ?? DEFAULT_RULES).filter((r) => r.step === step)
  const window = incidentWindow(incident, options.now, options.leadMinutes)
  const windowMs = window.end.getTime() - window.start.getTime()
  const notes: string[] = []
  const observations: Observations = {}
  const queries = new Map<string, string>()
  const charts: EvidenceChart[] = []
  const spans: EvidenceSpan[] = []

  // ---- metrics
  const { metrics } = options
  let metricsState: BackendState = metrics ? { name: metrics.name, state: 'ok' } : { name: 'Prometheus', state: 'none', detail: 'no metrics backend is configured (PROMETHEUS_URL)' }
  let scope: Scope = { pipeline: incident.pipeline, ...scopeFromAlerts(incident.alerts) }
  const promqlRules = rules.filter((r): r is Rule & { signal: { kind: 'promql' } } => r.signal.kind === 'promql')

  const metricsWork = (async () => {
    if (!metrics || promqlRules.length === 0) return
    try {
      scope = await discoverScope(incident, metrics, options.fleet, window, deadline)
    } catch (error) {
      if (error instanceof MetricsSourceError && error.kind === 'query') notes.push(`could not find the pipeline's pods and nodes: ${error.message}`)
      else {
        metricsState = describeBackendError(error, metrics.name, timeoutMs)
        return
      }
    }
    if (!incident.pipeline) notes.push('the incident has no pipeline label: metric evidence is fleet-wide')
    else if (scope.nodes.length === 0 && scope.pods.length === 0) notes.push(`no serving metrics found for pipeline ${incident.pipeline} in the window: node and pod evidence is fleet-wide`)
    const stepSeconds = Math.max(60, Math.round(windowMs / 1000 / 120))
    const params: TemplateParams = templateParams({ windowMs, stepSeconds, fleet: options.fleet, scope, maxModelLen: contextWindowOf(incident, options.traceConfig) })
    interface Task {
      ruleId: string
      variant: number
      kind: 'value' | 'chart' | 'presence'
      query: string
    }
    const tasks: Task[] = []
    // does each signal the step uses have any series in scope? An empty rule result means "none happened" only then
    const signalsUsed = [...new Set(promqlRules.flatMap((r) => r.signal.metrics))]
    for (const signal of signalsUsed) {
      const query = `count(max_over_time({{${signal}}}[{{window}}]))`
      for (let v = 0; v < variantCount(query, options.fleet); v++) tasks.push({ ruleId: signal, variant: v, kind: 'presence', query: renderTemplate(query, options.fleet, params, scope, v) })
    }
    for (const rule of promqlRules) {
      const variants = variantCount(rule.signal.template, options.fleet)
      for (let v = 0; v < variants; v++) {
        let query: string
        try {
          query = renderTemplate(rule.signal.template, options.fleet, params, scope, v)
        } catch (error) {
          if (error instanceof TemplateError) {
            observations[rule.id] = 'missing'
            if (/\{\{\s*(maxModelLen|nearContextLe)\s*\}\}/.test(rule.signal.template)) notes.push(`no context window configured for ${incident.models.join(', ') || 'the incident\'s model'} (traces.modelContextWindows)`)
            break
          }
          throw error
        }
        tasks.push({ ruleId: rule.id, variant: v, kind: 'value', query })
        const inner = chartExpression(query)
        if (inner && v === 0) tasks.push({ ruleId: rule.id, variant: v, kind: 'chart', query: inner })
      }
    }
    // values and presence first: charts only illustrate, so they wait for whatever time is left
    tasks.sort((a, b) => Number(a.kind === 'chart') - Number(b.kind === 'chart'))
    const results = await pool(
      tasks.map((t) => () =>
        deadline.race<unknown[]>(
          t.kind === 'chart' ? metrics.queryRange(t.query, { start: window.start, end: window.end, stepSeconds }) : metrics.queryInstant(t.query, window.end),
        ),
      ),
      options.concurrency ?? 8,
      deadline,
    )
    let backendFailure: unknown = null
    let timedOut = 0
    let answered = 0
    const present = new Set<string>()
    const unknownPresence = new Set<string>()
    const valueByRule = new Map<string, { variant: number; value: number | null; query: string }>()
    tasks.forEach((t, i) => {
      const r = results[i]
      if (r.status === 'rejected') {
        if (t.kind === 'presence') unknownPresence.add(t.ruleId)
        // a slow query is that evidence missing, not the backend down
        if (r.reason instanceof DeadlineExceeded) {
          if (t.kind !== 'chart') timedOut++
        } else if (r.reason instanceof MetricsSourceError && r.reason.kind === 'query') notes.push(`rule ${t.ruleId}: query failed: ${r.reason.message}`)
        else backendFailure ??= r.reason
        return
      }
      if (t.kind !== 'chart') answered++
      if (t.kind === 'presence') {
        if ((r.value as unknown[]).length > 0) present.add(t.ruleId)
        return
      }
      if (t.kind === 'chart') {
        const series = r.value as RangeSeries[]
        if (series.length) charts.push({ ruleId: t.ruleId, points: maxPerTime(series) })
        return
      }
      const samples = r.value as { value: [number, number] }[]
      const values = samples.map((s) => s.value[1]).filter((n) => Number.isFinite(n))
      const value = values.length ? Math.max(...values) : null
      const seen = valueByRule.get(t.ruleId)
      // the first variant with data wins (vLLM's old and new names)
      if (!seen || (seen.value === null && value !== null) ) valueByRule.set(t.ruleId, { variant: t.variant, value, query: t.query })
    })
    if (backendFailure) metricsState = describeBackendError(backendFailure, metrics.name, timeoutMs)
    else if (timedOut > 0 && answered === 0) metricsState = describeBackendError(new DeadlineExceeded(), metrics.name, timeoutMs)
    else if (timedOut > 0) notes.push(`${timedOut} queries did not answer within ${(timeoutMs / 1000).toFixed(1)} s: their evidence is missing below`)
    const absent = signalsUsed.filter((s) => !present.has(s) && !unknownPresence.has(s))
    if (metricsState.state === 'ok')
      for (const signal of absent) notes.push(`no ${options.fleet.metrics[signal].metrics.join(' or ')} series ${describeScope(signal, scope)} in the window`)
    for (const rule of promqlRules) {
      const seen = valueByRule.get(rule.id)
      if (seen) queries.set(rule.id, seen.query)
      if (observations[rule.id] === 'missing') continue
      if (seen?.value !== null && seen?.value !== undefined) observations[rule.id] = seen.value
      // an empty answer is "none happened" only when every signal behind it has data
      else if (seen && metricsState.state === 'ok' && (rule.signal.required ?? rule.signal.metrics).every((m) => present.has(m))) observations[rule.id] = emptyMeans(rule)
      else observations[rule.id] = 'missing'
    }
  })()

  // ---- traces
  const detectorRules = rules.filter((r) => r.signal.kind === 'detector')
  let tracesState: BackendState = options.traces.length ? { name: options.traces.map((s) => s.name).join(', '), state: 'ok' } : { name: 'traces', state: 'none', detail: 'no trace source is configured' }
  const tracesWork = (async () => {
    if (detectorRules.length === 0 || options.traces.length === 0) {
      for (const r of detectorRules) observations[r.id] = 'missing'
      return
    }
    try {
      const analysis = await analyseTraces(incident, options.traces, options.traceConfig, window, options.maxTraces ?? 20, deadline)
      if (analysis.examined === 0) {
        notes.push(`no traces${incident.pipeline ? ` of pipeline ${incident.pipeline}` : ''} in the incident window`)
        for (const r of detectorRules) observations[r.id] = 'missing'
        return
      }
      for (const r of detectorRules) {
        if (r.signal.kind !== 'detector') continue
        const found = analysis.findings.get(r.signal.detector)
        observations[r.id] = found?.count ?? 0
        queries.set(r.id, `detector ${r.signal.detector} over ${analysis.examined} traces`)
        if (found?.example) spans.push({ ...found.example, ruleId: r.id })
      }
    } catch (error) {
      tracesState = describeBackendError(error, tracesState.name, timeoutMs)
      for (const r of detectorRules) observations[r.id] = 'missing'
    }
  })()

  // ---- alerts: the incident's own, no I/O
  for (const rule of rules) {
    if (rule.signal.kind !== 'alert') continue
    const { label, values } = rule.signal
    observations[rule.id] = incident.alerts.filter((a) => values.includes(a.labels[label] ?? '')).length
    queries.set(rule.id, `alerts with ${label} in (${values.join(', ')})`)
  }

  await Promise.all([metricsWork, tracesWork])

  if (metricsState.state !== 'ok' && metricsState.detail) notes.unshift(metricsState.detail)
  if (tracesState.state !== 'ok' && tracesState.detail && detectorRules.length) notes.unshift(tracesState.detail)

  const proposal = proposeStep(step, observations, { ...options.evaluate, rules: options.rules ?? DEFAULT_RULES })
  const evidence: RecordedEvidence[] = rules.map((rule) => {
    const result = evaluateRule(rule, observations[rule.id], options.evaluate?.thresholds?.[rule.id] ?? rule.threshold.default)
    return {
      ruleId: rule.id,
      title: rule.title,
      source: SOURCE_OF[rule.signal.kind],
      status: result.status,
      value: result.value,
      threshold: result.threshold,
      comparison: rule.comparison,
      ...(rule.threshold.unit ? { unit: rule.threshold.unit } : {}),
      effects: fmtRuleEffects(rule),
      answers: [...new Set(rule.effects.map((e) => e.answer))],
      ...(queries.get(rule.id) ? { query: queries.get(rule.id) } : {}),
    }
  })
  return {
    step,
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    scope,
    proposal,
    evidence,
    charts,
    spans,
    notes: [...new Set(notes)],
    backends: { metrics: metricsState, traces: tracesState },
    answersWithRules: [...new Set(rules.flatMap((r) => r.effects.map((e) => e.answer)))],
    elapsedMs: Date.now() - started,
  }
}

/**
 * An empty answer from a working backend. For "how much of X" signals (counts, shares, restarts) no series means
 * none happened: 0. But the signal's metrics may simply not exist; evaluate.ts cannot tell, so only rules whose
 * templates are built to return nothing when nothing happened (and/unless filters, increase) count it as 0.
 */
function emptyMeans(rule: Rule): number | 'missing' {
  if (rule.signal.kind !== 'promql') return 'missing'
  // filtered (and/unless) or counting templates answer nothing when nothing happened; a ratio with no traffic is unknown
  return /\b(and|unless)\b|increase\(|delta\(/.test(rule.signal.template) ? 0 : 'missing'
}

function describeScope(signal: string, scope: Scope): string {
  if (/^gpu|^xid/.test(signal) && scope.nodes.length) return `for node${scope.nodes.length > 1 ? 's' : ''} ${scope.nodes.join(', ')}`
  if (['podInfo', 'restarts', 'lastTerminatedReason', 'gpuRequests'].includes(signal) && scope.pods.length) return `for the pipeline's ${scope.pods.length} pods`
  return scope.pipeline ? `for pipeline ${scope.pipeline}` : 'fleet-wide'
}

function maxPerTime(series: RangeSeries[]): [number, number][] {
  const byTime = new Map<number, number>()
  for (const s of series) for (const [t, v] of s.points) if (Number.isFinite(v)) byTime.set(t, Math.max(byTime.get(t) ?? -Infinity, v))
  return [...byTime.entries()].sort((a, b) => a[0] - b[0])
}

function contextWindowOf(incident: IncidentForClassification, config: TraceConfig): number | null {
  for (const m of incident.models) {
    const n = config.modelContextWindows[m]
    if (n) return n
  }
  return null
}
