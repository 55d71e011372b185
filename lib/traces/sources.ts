/**
 * Where traces come from: the built-in OTLP receiver's store, always, then Jaeger and Tempo when configured
 * (JAEGER_URL, TEMPO_URL). A trace is looked up source by source and a search asks all of them; a source that is down
 * is reported next to the answer, never in place of it. Opened traces are redacted, analysed and kept for a minute,
 * so opening span after span of a 100,000-span trace does not fetch it again each time.
 */
import { getTraceConfig, type TraceConfig } from './config'
import { detectFindings } from './detectors'
import { JaegerTraceSource } from './jaeger'
import { TraceSourceError, type Finding, type Trace, type TraceSearch, type TraceSource, type TraceSummary } from './model'
import { redactTrace } from './redact'
import { StoredTraceSource } from './store/source'
import { TempoTraceSource } from './tempo'
import { SpanIndex, type SourceErrorView, type TraceView } from './view'
import { parseTraceBackendEnv, type TraceBackendEnv } from '@/lib/env'
import { AppError, isDatabaseUnavailable } from '@/lib/errors'
import { logger } from '@/lib/logger'

export interface SourceError extends SourceErrorView {
  kind: 'query' | 'backend'
}

/** The configured sources, in lookup order: the OTLP receiver (local, cheapest), then Jaeger, then Tempo. */
export function createTraceSources(env: TraceBackendEnv, options: { modelAttributes?: string[]; stored?: TraceSource | null } = {}): TraceSource[] {
  const sources: TraceSource[] = []
  const stored = options.stored === undefined ? new StoredTraceSource() : options.stored
  if (stored) sources.push(stored)
  if (env.jaeger) {
    sources.push(
      new JaegerTraceSource({
        url: env.jaeger.url,
        apiVersion: env.jaeger.apiVersion,
        bearerToken: env.jaeger.bearerToken,
        basicAuth: env.jaeger.basicAuth,
        timeoutMs: env.timeoutMs,
        modelAttributes: options.modelAttributes,
      }),
    )
  }
  if (env.tempo) {
    sources.push(
      new TempoTraceSource({
        url: env.tempo.url,
        tenant: env.tempo.tenant,
        bearerToken: env.tempo.bearerToken,
        basicAuth: env.tempo.basicAuth,
        timeoutMs: env.timeoutMs,
        modelAttributes: options.modelAttributes,
      }),
    )
  }
  return sources
}

const globalForSources = globalThis as unknown as { firebreakTraceSources?: { key: string; sources: TraceSource[] } }

/** The sources for this process, built from the environment once (again if it changed, as in tests). */
export function getTraceSources(): TraceSource[] {
  const env = parseTraceBackendEnv(process.env)
  const config = getTraceConfig()
  const key = JSON.stringify([env, config.attributes.model])
  const current = globalForSources.firebreakTraceSources
  if (current?.key === key) return current.sources
  const sources = createTraceSources(env, { modelAttributes: config.attributes.model })
  globalForSources.firebreakTraceSources = { key, sources }
  return sources
}

/** A source's failure as the user may see it: its own message for ours, a masked one for anything unexpected. */
function sourceErrorOf(source: TraceSource, error: unknown): SourceError {
  if (error instanceof TraceSourceError) return { source: source.name, message: error.message, kind: error.kind }
  if (isDatabaseUnavailable(error)) return { source: source.name, message: `${source.name}: the database is unavailable right now`, kind: 'backend' }
  logger.error('trace source failed unexpectedly', { source: source.name, error })
  return { source: source.name, message: `${source.name} failed unexpectedly (logged on the server)`, kind: 'backend' }
}

export interface FoundTrace {
  trace: Trace | null
  /** the source whose copy this is */
  source: string | null
  /** every source asked, in order */
  searched: string[]
  sourceErrors: SourceError[]
}

/**
 * The first source that has the trace, in order. A partial copy (a size cap, a service that exported elsewhere) is
 * kept while the later sources are asked for a complete one; a failing source is recorded and skipped.
 */
export async function findTrace(traceId: string, sources: TraceSource[] = getTraceSources()): Promise<FoundTrace> {
  const sourceErrors: SourceError[] = []
  const searched: string[] = []
  let partialHit: { trace: Trace; source: string } | null = null
  for (const source of sources) {
    searched.push(source.name)
    let trace: Trace | null
    try {
      trace = await source.getTrace(traceId)
    } catch (error) {
      sourceErrors.push(sourceErrorOf(source, error))
      continue
    }
    if (!trace || trace.spans.length === 0) continue
    if (!trace.partial) return { trace, source: source.name, searched, sourceErrors }
    partialHit ??= { trace, source: source.name }
  }
  return { trace: partialHit?.trace ?? null, source: partialHit?.source ?? null, searched, sourceErrors }
}

export interface SearchResult {
  traces: TraceSummary[]
  searched: string[]
  sourceErrors: SourceError[]
}

/** Two sources' summaries of one trace: the fuller one, with what either saw. */
function mergeSummaries(a: TraceSummary, b: TraceSummary): TraceSummary {
  const [full, other] = b.spanCount > a.spanCount ? [b, a] : [a, b]
  return {
    ...full,
    errorCount: Math.max(full.errorCount, other.errorCount),
    services: [...new Set([...full.services, ...other.services])].sort(),
    models: [...new Set([...full.models, ...other.models])].sort(),
  }
}

/** Every source at once; results merged by trace id, newest first, cut to the limit; failures listed per source. */
export async function searchTraces(query: TraceSearch, sources: TraceSource[] = getTraceSources()): Promise<SearchResult> {
  const settled = await Promise.allSettled(sources.map((source) => source.search(query)))
  const byId = new Map<string, TraceSummary>()
  const sourceErrors: SourceError[] = []
  settled.forEach((result, i) => {
    if (result.status === 'rejected') {
      sourceErrors.push(sourceErrorOf(sources[i], result.reason))
      return
    }
    for (const summary of result.value) {
      const seen = byId.get(summary.traceId)
      byId.set(summary.traceId, seen ? mergeSummaries(seen, summary) : summary)
    }
  })
  const traces = [...byId.values()].sort((a, b) => b.startUs - a.startUs || a.traceId.localeCompare(b.traceId)).slice(0, query.limit)
  return { traces, searched: sources.map((s) => s.name), sourceErrors }
}

// ---------------------------------------------------------------------------------------------------------------
// Opened traces, for the API: redacted, analysed, cached

export interface OpenedTrace {
  /** redacted: nothing unredacted is kept or sent */
  trace: Trace
  source: string
  findings: Finding[]
  index: SpanIndex
  sourceErrors: SourceError[]
  /** the trace page's answer, computed on first request and kept with the trace */
  view?: TraceView
}

export type OpenResult = { found: true; opened: OpenedTrace } | { found: false; searched: string[]; sourceErrors: SourceError[] }

interface CacheEntry {
  expiresAt: number
  spans: number
  value: Promise<OpenResult>
}

/**
 * Per process, a short time: the trace page asks for the trace and then for span after span. Bounded by entries and
 * by total spans (a 100,000-span trace is held, a handful of them are not); misses and failures are not kept, so a
 * trace that arrives later or a backend that comes back is seen on the next request. Concurrent opens share one fetch.
 */
export class OpenedTraceCache {
  private readonly entries = new Map<string, CacheEntry>()

  constructor(
    private readonly options: { ttlMs?: number; maxEntries?: number; maxSpans?: number; now?: () => number } = {},
  ) {}

  private get now(): number {
    return (this.options.now ?? Date.now)()
  }

  async open(traceId: string, load: () => Promise<OpenResult>): Promise<OpenResult> {
    const cached = this.entries.get(traceId)
    if (cached && cached.expiresAt > this.now) {
      // most recently used last, so eviction takes the least recently used
      this.entries.delete(traceId)
      this.entries.set(traceId, cached)
      return cached.value
    }
    if (cached) this.entries.delete(traceId)
    const value = load()
    const entry: CacheEntry = { expiresAt: this.now + (this.options.ttlMs ?? 60_000), spans: 0, value }
    this.entries.set(traceId, entry)
    try {
      const result = await value
      if (!result.found) this.drop(traceId, entry)
      else {
        entry.spans = result.opened.trace.spans.length
        this.evict()
      }
      return result
    } catch (error) {
      this.drop(traceId, entry)
      throw error
    }
  }

  private drop(traceId: string, entry: CacheEntry) {
    if (this.entries.get(traceId) === entry) this.entries.delete(traceId)
  }

  private evict() {
    const maxEntries = this.options.maxEntries ?? 20
    const maxSpans = this.options.maxSpans ?? 300_000
    const now = this.now
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
    let total = 0
    for (const entry of this.entries.values()) total += entry.spans
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= maxEntries && total <= maxSpans) break
      // the newest entry stays even when it alone is over the span budget: it is what is being looked at
      if (this.entries.size === 1) break
      this.entries.delete(key)
      total -= entry.spans
    }
  }

  clear() {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}

const globalForCache = globalThis as unknown as { firebreakOpenedTraces?: OpenedTraceCache }
export const openedTraces = (globalForCache.firebreakOpenedTraces ??= new OpenedTraceCache())

/** Find, redact and analyse a trace: what both trace endpoints start from. */
export async function loadOpenedTrace(traceId: string, sources: TraceSource[], config: TraceConfig): Promise<OpenResult> {
  const found = await findTrace(traceId, sources)
  if (!found.trace || !found.source) return { found: false, searched: found.searched, sourceErrors: found.sourceErrors }
  const trace = redactTrace(found.trace, config)
  let findings: Finding[] = []
  try {
    findings = detectFindings(trace, config)
  } catch (error) {
    // a detector bug must not hide the trace itself
    logger.error('trace detectors failed', { traceId, error })
  }
  return { found: true, opened: { trace, source: found.source, findings, index: new SpanIndex(trace), sourceErrors: found.sourceErrors } }
}

/** The opened trace from the cache, or found, redacted and analysed now. */
export function openTrace(traceId: string): Promise<OpenResult> {
  const config = getTraceConfig()
  return openedTraces.open(traceId, () => loadOpenedTrace(traceId, getTraceSources(), config))
}

/**
 * Why a trace cannot be shown: 503 (with Retry-After and each backend's error) when no source could be asked, else
 * 404 naming the sources searched and any that failed.
 */
export function traceLookupError(traceId: string, result: { searched: string[]; sourceErrors: SourceError[] }): AppError {
  const details = { searched: result.searched, sourceErrors: result.sourceErrors.map(({ source, message }) => ({ source, message })) }
  const failures = result.sourceErrors.map((e) => e.message).join('; ')
  if (result.searched.length > 0 && result.sourceErrors.length === result.searched.length) {
    return new AppError('unavailable', `No trace source could be asked for trace ${traceId}: ${failures}. Try again in a moment.`, { retryAfterSeconds: 10, details })
  }
  const failed = new Set(result.sourceErrors.map((e) => e.source))
  const asked = result.searched.filter((name) => !failed.has(name))
  return new AppError(
    'not_found',
    `Trace ${traceId} is not in ${asked.join(', ') || 'any trace source'}${failures ? ` (and ${[...failed].join(', ')} could not be asked: ${failures})` : ''}. It may have expired from the backend's retention, or not been sent.`,
    { details },
  )
}

/** A search every source failed: the caller's 400 when all said the query was wrong, else 503 with Retry-After. */
export function searchFailureError(result: SearchResult): AppError | null {
  if (result.searched.length === 0 || result.sourceErrors.length < result.searched.length) return null
  const message = result.sourceErrors.map((e) => e.message).join('; ')
  const details = { sourceErrors: result.sourceErrors.map(({ source, message }) => ({ source, message })) }
  if (result.sourceErrors.every((e) => e.kind === 'query')) return new AppError('bad_request', `The search was refused: ${message}`, { details })
  return new AppError('unavailable', `No trace source could be searched: ${message}. Try again in a moment.`, { retryAfterSeconds: 10, details })
}
