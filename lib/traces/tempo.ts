/**
 * Grafana Tempo as a trace source, over its HTTP API: GET /api/traces/{id} (OTLP/JSON: "batches" with base64 ids in
 * older versions, "resourceSpans" or {trace, status, message} in newer ones) and GET /api/search?q=<TraceQL>. The
 * TraceQL is built here from a TraceSearch, with every value escaped, never from a user's text.
 */
import { z } from 'zod'
import { normalizeTraceId, TraceSourceError, type Trace, type TraceSearch, type TraceSource, type TraceSummary } from './model'
import { assembleTrace, getFromBackend, statusError, type BackendAnswer, type BackendOptions } from './jaeger'
import { attributesOf, nanosToMicros, OtlpFormatError, spansFromOtlpJson } from './otlp-json'

export interface TempoOptions extends BackendOptions {
  /** X-Scope-OrgID for a multi-tenant Tempo (Grafana Enterprise Traces, Grafana Cloud, tempo-distributed with auth) */
  tenant?: string
  /** attributes that name the model a span called; the model filter matches any of them */
  modelAttributes?: string[]
  name?: string
}

// ---------------------------------------------------------------------------------------------------------------
// TraceQL

/** A TraceQL string literal: Tempo reads it with Go's strconv.Unquote, so quotes, backslashes and controls are escaped. */
export function traceqlString(value: string): string {
  let out = '"'
  // lone surrogates cannot be written in UTF-8: they become U+FFFD
  const wellFormed = value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
  for (const ch of wellFormed) {
    const code = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

/**
 * An attribute reference with its scope ("span.", "resource." or "." for either). Plain dotted names are written as
 * they are; anything else is quoted (span."my key"), so a key cannot close the spanset or add a condition.
 */
export function traceqlAttribute(scope: 'span' | 'resource' | '', key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) && !key.endsWith('.') && !key.includes('..')) return `${scope}.${key}`
  return `${scope}.${traceqlString(key)}`
}

function traceqlDuration(ms: number): string {
  return Number.isInteger(ms) ? `${ms}ms` : `${Math.round(ms * 1000)}us`
}

/** The TraceQL for a search: one spanset per condition joined with &&, so each may match a different span of the trace. */
export function buildTraceQL(query: TraceSearch, modelAttributes: string[] = ['gen_ai.request.model']): string {
  const sets: string[] = []
  if (query.service) sets.push(`{ ${traceqlAttribute('resource', 'service.name')} = ${traceqlString(query.service)} }`)
  if (query.model) {
    const attrs = modelAttributes.length > 0 ? modelAttributes : ['gen_ai.request.model']
    sets.push(`{ ${attrs.map((a) => `${traceqlAttribute('span', a)} = ${traceqlString(query.model!)}`).join(' || ')} }`)
  }
  if (query.status === 'error') sets.push('{ status = error }')
  for (const [key, value] of Object.entries(query.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    sets.push(`{ ${traceqlAttribute('', key)} = ${traceqlString(value)} }`)
  }
  const durations: string[] = []
  if (query.minDurationMs !== undefined) durations.push(`traceDuration >= ${traceqlDuration(query.minDurationMs)}`)
  if (query.maxDurationMs !== undefined) durations.push(`traceDuration <= ${traceqlDuration(query.maxDurationMs)}`)
  if (durations.length > 0) sets.push(`{ ${durations.join(' && ')} }`)
  return sets.length > 0 ? sets.join(' && ') : '{ }'
}

// ---------------------------------------------------------------------------------------------------------------
// Search answers

const keyValues = z.array(z.object({ key: z.string(), value: z.any().optional() }).passthrough()).nullish()

const spanSet = z
  .object({
    spans: z
      .array(
        z
          .object({
            spanID: z.string().optional(),
            name: z.string().optional(),
            startTimeUnixNano: z.union([z.string(), z.number()]).optional(),
            durationNanos: z.union([z.string(), z.number()]).optional(),
            attributes: keyValues,
          })
          .passthrough(),
      )
      .nullish(),
    matched: z.number().optional(),
    attributes: keyValues,
  })
  .passthrough()

export const tempoSearchSchema = z
  .object({
    traces: z
      .array(
        z
          .object({
            traceID: z.string().regex(/^[0-9a-fA-F]{1,32}$/, 'must be hex'),
            rootServiceName: z.string().optional(),
            rootTraceName: z.string().optional(),
            startTimeUnixNano: z.union([z.string().regex(/^\d+$/), z.number().nonnegative()]).optional(),
            durationMs: z.number().nonnegative().optional(),
            spanSet: spanSet.nullish(),
            spanSets: z.array(spanSet).nullish(),
            serviceStats: z.record(z.string(), z.object({ spanCount: z.number().optional(), errorCount: z.number().optional() }).passthrough()).nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    metrics: z.object({}).passthrough().nullish(),
  })
  .passthrough()

/** Tempo's search results into summaries. What Tempo does not say (all services, total spans) is a lower bound. */
export function summariesFromTempoSearch(input: unknown, modelAttributes: string[] = ['gen_ai.request.model']): TraceSummary[] {
  const parsed = tempoSearchSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new OtlpFormatError(`${issue.path.join('.') || '(body)'}: ${issue.message}`)
  }
  return (parsed.data.traces ?? []).map((t) => {
    const sets = [...(t.spanSets ?? []), ...(t.spanSet && !(t.spanSets ?? []).length ? [t.spanSet] : [])]
    const services = new Set<string>()
    const models = new Set<string>()
    const spanIds = new Set<string>()
    let errors = 0
    let matched = 0
    for (const set of sets) {
      matched = Math.max(matched, set.matched ?? 0)
      for (const s of set.spans ?? []) {
        const attributes = attributesOf(s.attributes ?? undefined)
        if (typeof attributes['service.name'] === 'string') services.add(attributes['service.name'])
        for (const key of modelAttributes) if (typeof attributes[key] === 'string') models.add(attributes[key] as string)
        if (s.spanID && !spanIds.has(s.spanID)) {
          spanIds.add(s.spanID)
          if (attributes['status'] === 'error') errors++
        }
      }
    }
    const rootService = t.rootServiceName ?? 'unknown_service'
    // Tempo says "<root span not yet received>" when it has no root
    if (t.rootServiceName && !t.rootServiceName.startsWith('<')) services.add(t.rootServiceName)
    let spanCount = Math.max(matched, spanIds.size)
    if (t.serviceStats && Object.keys(t.serviceStats).length > 0) {
      for (const name of Object.keys(t.serviceStats)) services.add(name)
      spanCount = Object.values(t.serviceStats).reduce((n, s) => n + (s.spanCount ?? 0), 0)
      errors = Object.values(t.serviceStats).reduce((n, s) => n + (s.errorCount ?? 0), 0)
    }
    return {
      traceId: t.traceID.toLowerCase().padStart(32, '0'),
      rootService,
      rootName: t.rootTraceName ?? '',
      startUs: t.startTimeUnixNano !== undefined ? nanosToMicros(t.startTimeUnixNano) : 0,
      durationUs: (t.durationMs ?? 0) * 1000,
      spanCount,
      errorCount: errors,
      services: [...services].sort(),
      models: [...models].sort(),
    }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Trace-by-id answers

const v2Answer = z.object({ trace: z.object({}).passthrough().nullish(), status: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }).passthrough()

/**
 * Tempo's trace-by-id answer into a trace, or null when it holds no spans. Tempo caps trace size
 * (max_bytes_per_trace): the v2 API says PARTIAL with a message, v1 just returns fewer spans, which shows as spans
 * whose parents are missing. Both make the trace partial.
 */
export function traceFromTempo(input: unknown, traceId: string, source = 'Tempo'): Trace | null {
  let payload = input
  const reasons: string[] = []
  if (input && typeof input === 'object' && 'trace' in input) {
    const parsed = v2Answer.safeParse(input)
    if (!parsed.success) throw new OtlpFormatError('not a Tempo trace answer')
    payload = parsed.data.trace ?? {}
    if (parsed.data.status === 'PARTIAL' || parsed.data.status === 1) reasons.push(`${source} returned part of the trace${parsed.data.message ? `: ${parsed.data.message}` : ' (it is larger than Tempo serves)'}`)
  }
  if (!payload || typeof payload !== 'object' || (!('batches' in payload) && !('resourceSpans' in payload))) {
    if (payload && typeof payload === 'object' && Object.keys(payload).length === 0) return null
    throw new OtlpFormatError('neither "batches" nor "resourceSpans"')
  }
  const spans = spansFromOtlpJson(payload)
  if (spans.length === 0) return null
  const foreign = spans.filter((s) => s.traceId !== traceId).length
  if (foreign > 0) reasons.push(`${foreign} spans from other traces were left out`)
  return assembleTrace(
    traceId,
    spans.filter((s) => s.traceId === traceId),
    source,
    reasons,
  )
}

// ---------------------------------------------------------------------------------------------------------------
// The source

export class TempoTraceSource implements TraceSource {
  readonly name: string

  constructor(private readonly options: TempoOptions) {
    this.name = options.name ?? 'Tempo'
  }

  private get http(): BackendOptions {
    return {
      credentialsHint: 'TEMPO_BEARER_TOKEN or TEMPO_USERNAME and TEMPO_PASSWORD (and TEMPO_TENANT for a multi-tenant Tempo)',
      ...this.options,
      headers: { ...this.options.headers, ...(this.options.tenant ? { 'X-Scope-OrgID': this.options.tenant } : {}) },
    }
  }

  private failure(answer: BackendAnswer): TraceSourceError {
    const error = (answer.json as { error?: unknown; message?: unknown } | undefined) ?? {}
    const message = typeof error.error === 'string' ? error.error : typeof error.message === 'string' ? error.message : undefined
    return statusError(this.name, answer, message)
  }

  async getTrace(traceId: string): Promise<Trace | null> {
    const id = normalizeTraceId(traceId)
    if (!id) throw new TraceSourceError(`“${traceId.slice(0, 80)}” is not a trace id: use 32 (or 16) hex digits`, 'query')
    const answer = await getFromBackend(this.name, this.http, `/api/traces/${id}`)
    if (answer.status === 404) return null
    if (answer.status < 200 || answer.status >= 300) throw this.failure(answer)
    if (answer.json === undefined) return null
    try {
      return traceFromTempo(answer.json, id, this.name)
    } catch (error) {
      if (error instanceof OtlpFormatError) throw new TraceSourceError(`${this.name} answered with something that is not a trace (${error.message})`, 'backend')
      throw error
    }
  }

  async search(query: TraceSearch): Promise<TraceSummary[]> {
    const modelAttributes = this.options.modelAttributes ?? ['gen_ai.request.model']
    const params = new URLSearchParams({
      q: buildTraceQL(query, modelAttributes),
      start: String(Math.floor(query.start.getTime() / 1000)),
      end: String(Math.ceil(query.end.getTime() / 1000)),
      limit: String(query.limit),
    })
    const answer = await getFromBackend(this.name, this.http, '/api/search', params)
    if (answer.status < 200 || answer.status >= 300) throw this.failure(answer)
    let summaries: TraceSummary[]
    try {
      summaries = summariesFromTempoSearch(answer.json, modelAttributes)
    } catch (error) {
      if (error instanceof OtlpFormatError) throw new TraceSourceError(`${this.name} answered the search with something unexpected (${error.message})`, 'backend')
      throw error
    }
    // "ok" cannot be said in TraceQL (no error span anywhere): checked here where Tempo reported error counts
    return summaries
      .filter((s) => query.status !== 'ok' || s.errorCount === 0)
      .sort((a, b) => b.startUs - a.startUs)
      .slice(0, query.limit)
  }
}
