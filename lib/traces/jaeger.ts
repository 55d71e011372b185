/**
 * Jaeger as a trace source, over its query service's HTTP API: the v1 JSON API that Jaeger's own UI uses
 * (GET /api/traces/{id}, GET /api/traces?service=…) and, with `apiVersion: 'v3'`, the api/v3 gateway that answers in
 * OTLP/JSON under "result". Every answer is validated; the wire model (spans with references, typed tags, logs,
 * processes, microsecond times, ids printed without leading zeros) becomes TraceSpan here and nowhere else.
 *
 * Also home of the small HTTP plumbing Tempo's adapter shares (auth, timeout, JSON, error kinds) and of
 * `assembleTrace`, which both use to drop duplicate spans and notice missing parents.
 */
import { z } from 'zod'
import { normalizeTraceId, TraceSourceError, type AttributeValue, type Attributes, type SpanKind, type SpanStatusCode, type Trace, type TraceSearch, type TraceSource, type TraceSpan, type TraceSummary } from './model'
import { OtlpFormatError, spansFromOtlpJson } from './otlp-json'

// ---------------------------------------------------------------------------------------------------------------
// HTTP plumbing shared by the Jaeger and Tempo adapters

export interface BackendOptions {
  /** base URL of the query service, e.g. http://jaeger-query:16686 or http://tempo:3200 */
  url: string
  bearerToken?: string
  basicAuth?: { username: string; password: string }
  /** extra headers, e.g. Tempo's X-Scope-OrgID */
  headers?: Record<string, string>
  timeoutMs?: number
  /** answers larger than this are refused rather than parsed (default 256 MiB) */
  maxResponseBytes?: number
  /** which variables configure it, for error messages ("JAEGER_BEARER_TOKEN or JAEGER_USERNAME") */
  credentialsHint?: string
}

export interface BackendAnswer {
  status: number
  /** parsed JSON, or undefined when the body was empty */
  json: unknown
  /** the first characters of a non-JSON body, for error messages */
  text: string
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024

function authHeaders(options: BackendOptions): Record<string, string> {
  if (options.bearerToken) return { authorization: `Bearer ${options.bearerToken}` }
  if (options.basicAuth) return { authorization: `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}` }
  return {}
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat
}

/**
 * One GET against a backend. Network failures, timeouts, refused credentials and bodies that are not JSON become
 * TraceSourceError 'backend' with a sentence a responder can act on; the caller decides what each status means.
 */
export async function getFromBackend(backend: string, options: BackendOptions, path: string, params?: URLSearchParams): Promise<BackendAnswer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const base = options.url.replace(/\/+$/, '')
  const query = params && [...params.keys()].length > 0 ? `?${params.toString()}` : ''
  let response: Response
  let text: string
  try {
    response = await fetch(`${base}${path}${query}`, {
      method: 'GET',
      headers: { accept: 'application/json', ...options.headers, ...authHeaders(options) },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    })
    const declared = Number(response.headers.get('content-length') ?? NaN)
    const max = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    if (declared > max) {
      await response.body?.cancel().catch(() => {})
      throw new TraceSourceError(`${backend} answered with ${Math.round(declared / 1048576)} MiB, more than Firebreak reads (${Math.round(max / 1048576)} MiB)`, 'backend')
    }
    text = await response.text()
    if (text.length > max) throw new TraceSourceError(`${backend} answered with more than ${Math.round(max / 1048576)} MiB, more than Firebreak reads`, 'backend')
  } catch (error) {
    if (error instanceof TraceSourceError) throw error
    const name = (error as Error).name
    if (name === 'TimeoutError' || name === 'AbortError') throw new TraceSourceError(`${backend} did not answer within ${timeoutMs / 1000} s`, 'backend')
    const code = (error as { cause?: { code?: string } }).cause?.code
    throw new TraceSourceError(`${backend} is unreachable at ${hostOf(base)}${code ? ` (${code})` : ''}`, 'backend')
  }
  if (response.status === 401 || response.status === 403) {
    throw new TraceSourceError(`${backend} refused Firebreak's credentials (HTTP ${response.status})${options.credentialsHint ? `: check ${options.credentialsHint}` : ''}`, 'backend')
  }
  if (text.trim() === '') return { status: response.status, json: undefined, text: '' }
  try {
    return { status: response.status, json: JSON.parse(text), text: snippet(text) }
  } catch {
    if (response.status >= 200 && response.status < 300) {
      throw new TraceSourceError(`${backend} answered HTTP ${response.status} with something that is not JSON (“${snippet(text)}”)`, 'backend')
    }
    return { status: response.status, json: undefined, text: snippet(text) }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** The error a non-2xx answer becomes: the request's fault (400) or the backend's (the rest). */
export function statusError(backend: string, answer: BackendAnswer, message?: string): TraceSourceError {
  const detail = message ?? answer.text
  const kind = answer.status === 400 || answer.status === 422 ? 'query' : 'backend'
  return new TraceSourceError(`${backend} answered HTTP ${answer.status}${detail ? `: ${detail}` : ''}`, kind)
}

// ---------------------------------------------------------------------------------------------------------------
// Assembling a trace: shared by every adapter

/**
 * Drops repeated span ids (Jaeger returns Zipkin-style shared spans and double exports; the view needs unique ids) and
 * marks the trace partial when the source said so or spans name parents that are not in it (a size cap, a service
 * that never exported, spans still in flight).
 */
export function assembleTrace(traceId: string, spans: TraceSpan[], source: string, reasons: string[] = []): Trace {
  const seen = new Set<string>()
  const unique: TraceSpan[] = []
  let duplicates = 0
  for (const span of spans) {
    if (seen.has(span.spanId)) {
      duplicates++
      continue
    }
    seen.add(span.spanId)
    unique.push(span)
  }
  const all = [...reasons]
  const missingParents = new Set<string>()
  let orphans = 0
  for (const span of unique) {
    if (span.parentSpanId !== null && !seen.has(span.parentSpanId)) {
      orphans++
      missingParents.add(span.parentSpanId)
    }
  }
  if (orphans > 0) {
    all.push(`${orphans} ${orphans === 1 ? 'span refers' : 'spans refer'} to ${missingParents.size === 1 ? 'a parent span' : `${missingParents.size} parent spans`} that ${missingParents.size === 1 ? 'is' : 'are'} not in the trace`)
  }
  if (duplicates > 0) all.push(`${duplicates} ${duplicates === 1 ? 'span' : 'spans'} repeating another span's id ${duplicates === 1 ? 'was' : 'were'} left out`)
  return { traceId, spans: unique, source, ...(all.length > 0 ? { partial: { reason: all.join('; ') } } : {}) }
}

/**
 * The summary of a trace, like model.ts' summarize but in loops (no spread of every span into Math.min, which
 * overflows the stack past ~130,000 spans).
 */
export function summaryOf(trace: Trace, modelAttributes: string[] = ['gen_ai.request.model']): TraceSummary {
  const ids = new Set<string>()
  for (const s of trace.spans) ids.add(s.spanId)
  let root: TraceSpan | undefined
  let orphan: TraceSpan | undefined
  let start = Infinity
  let end = -Infinity
  let errors = 0
  const services = new Set<string>()
  const models = new Set<string>()
  for (const s of trace.spans) {
    if (s.parentSpanId === null) {
      if (!root || s.startUs < root.startUs) root = s
    } else if (!ids.has(s.parentSpanId) && (!orphan || s.startUs < orphan.startUs)) orphan = s
    if (s.startUs < start) start = s.startUs
    if (s.startUs + s.durationUs > end) end = s.startUs + s.durationUs
    if (s.status.code === 'error') errors++
    services.add(s.service)
    for (const key of modelAttributes) if (typeof s.attributes[key] === 'string') models.add(s.attributes[key] as string)
  }
  const top = root ?? orphan ?? trace.spans[0]
  return {
    traceId: trace.traceId,
    rootService: top?.service ?? 'unknown_service',
    rootName: top?.name ?? '',
    startUs: trace.spans.length ? start : 0,
    durationUs: trace.spans.length ? end - start : 0,
    spanCount: trace.spans.length,
    errorCount: errors,
    services: [...services].sort(),
    models: [...models].sort(),
  }
}

/** Filters a backend cannot express (or expresses per span, not per trace), applied to the summaries it returned. */
export function matchesSearch(summary: TraceSummary, query: TraceSearch): boolean {
  if (query.minDurationMs !== undefined && summary.durationUs < query.minDurationMs * 1000) return false
  if (query.maxDurationMs !== undefined && summary.durationUs > query.maxDurationMs * 1000) return false
  if (query.status === 'error' && summary.errorCount === 0) return false
  if (query.status === 'ok' && summary.errorCount > 0) return false
  if (query.service !== undefined && !summary.services.includes(query.service)) return false
  if (query.model !== undefined && !summary.models.includes(query.model)) return false
  return true
}

/** "1500ms" for Jaeger's minDuration/maxDuration (Go durations). */
function goDuration(ms: number): string {
  return Number.isInteger(ms) ? `${ms}ms` : `${Math.round(ms * 1000)}us`
}

// ---------------------------------------------------------------------------------------------------------------
// Jaeger's v1 JSON model

const micros = z.union([z.number().nonnegative(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number)])

const tag = z
  .object({
    key: z.string(),
    type: z.string().optional(),
    value: z.unknown(),
  })
  .passthrough()
type JaegerTag = z.infer<typeof tag>

const process_ = z.object({ serviceName: z.string(), tags: z.array(tag).nullish() }).passthrough()
type JaegerProcess = z.infer<typeof process_>

const reference = z.object({ refType: z.string(), traceID: z.string(), spanID: z.string() }).passthrough()

const span = z
  .object({
    traceID: z.string(),
    spanID: z.string(),
    operationName: z.string(),
    references: z.array(reference).nullish(),
    startTime: micros,
    duration: micros,
    tags: z.array(tag).nullish(),
    logs: z.array(z.object({ timestamp: micros, fields: z.array(tag).nullish() }).passthrough()).nullish(),
    processID: z.string().nullish(),
    process: process_.nullish(),
    warnings: z.array(z.string()).nullish(),
  })
  .passthrough()

export const jaegerTraceSchema = z
  .object({
    traceID: z.string(),
    spans: z.array(span),
    processes: z.record(z.string(), process_).nullish(),
    warnings: z.array(z.string()).nullish(),
  })
  .passthrough()
export type JaegerTrace = z.infer<typeof jaegerTraceSchema>

const jaegerError = z.object({ code: z.number().optional(), msg: z.string().optional(), traceID: z.string().optional() }).passthrough()

export const jaegerEnvelopeSchema = z
  .object({
    data: z.array(jaegerTraceSchema).nullable(),
    total: z.number().optional(),
    limit: z.number().optional(),
    offset: z.number().optional(),
    errors: z.array(jaegerError).nullish(),
  })
  .passthrough()

const servicesEnvelope = z.object({ data: z.array(z.string()).nullable(), errors: z.array(jaegerError).nullish() }).passthrough()

/** api/v3: OTLP/JSON under "result", or an error object */
const v3Answer = z.union([
  z.object({ result: z.object({ resourceSpans: z.array(z.unknown()).nullish() }).passthrough() }).passthrough(),
  z.object({ error: z.object({ httpCode: z.number().optional(), message: z.string().optional() }).passthrough() }).passthrough(),
])

/** Jaeger prints ids with %x: a 64-bit id or the high half of a 128-bit one can lose its leading zeros. */
function hexId(value: string, length: number, what: string): string {
  const id = value.trim().toLowerCase()
  if (!/^[0-9a-f]+$/.test(id) || id.length > length || /^0+$/.test(id)) throw new JaegerFormatError(`${what} “${snippet(value)}” is not a ${length}-digit hex id`)
  return id.padStart(length, '0')
}

export class JaegerFormatError extends Error {}

function tagValue(t: JaegerTag): AttributeValue {
  const v = t.value
  switch ((t.type ?? '').toLowerCase()) {
    case 'bool':
      return v === true || v === 'true'
    case 'int64': {
      // JavaScript numbers are exact to 2^53; larger values stay the decimal string Jaeger sent
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN
      if (Number.isSafeInteger(n)) return n
      return typeof v === 'string' ? v : String(v)
    }
    case 'float64':
      return typeof v === 'number' ? v : Number(v)
    case 'binary':
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v)
    default:
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
      return JSON.stringify(v)
  }
}

function tagsToAttributes(tags: JaegerTag[] | null | undefined): Attributes {
  const out: Attributes = {}
  for (const t of tags ?? []) out[t.key] = tagValue(t)
  return out
}

const KINDS = new Set<SpanKind>(['internal', 'server', 'client', 'producer', 'consumer'])

/** Tags the OpenTelemetry → Jaeger translation adds for fields our model has; they become those fields again. */
const MAPPED_TAGS = ['span.kind', 'otel.status_code', 'otel.status_description', 'otel.scope.name', 'otel.scope.version', 'otel.library.name', 'otel.library.version']

function spanFromJaeger(s: z.infer<typeof span>, processes: Record<string, JaegerProcess>, warnings: Set<string>): TraceSpan {
  const traceId = hexId(s.traceID, 32, 'traceID')
  const spanId = hexId(s.spanID, 16, `span ${s.spanID}: spanID`)
  const process = s.process ?? (s.processID ? processes[s.processID] : undefined)
  const resource = tagsToAttributes(process?.tags)
  const service = process?.serviceName || 'unknown_service'
  resource['service.name'] = service

  const attributes = tagsToAttributes(s.tags)
  const kindTag = typeof attributes['span.kind'] === 'string' ? (attributes['span.kind'] as string).toLowerCase() : ''
  const kind: SpanKind = KINDS.has(kindTag as SpanKind) ? (kindTag as SpanKind) : 'unspecified'
  const statusTag = typeof attributes['otel.status_code'] === 'string' ? (attributes['otel.status_code'] as string).toUpperCase() : ''
  const errorTag = attributes['error'] === true || attributes['error'] === 'true'
  const code: SpanStatusCode = statusTag === 'ERROR' || errorTag ? 'error' : statusTag === 'OK' ? 'ok' : 'unset'
  const message = typeof attributes['otel.status_description'] === 'string' ? (attributes['otel.status_description'] as string) : undefined
  const scopeName = attributes['otel.scope.name'] ?? attributes['otel.library.name']
  const scopeVersion = attributes['otel.scope.version'] ?? attributes['otel.library.version']
  for (const key of MAPPED_TAGS) delete attributes[key]
  // "error" is how Jaeger says status: it is the status now (a string "false" or other value stays an attribute)
  if (typeof attributes['error'] === 'boolean' || attributes['error'] === 'true') delete attributes['error']
  if (s.warnings && s.warnings.length > 0) {
    attributes['jaeger.warnings'] = s.warnings
    for (const w of s.warnings) warnings.add(w)
  }

  // the parent: the first CHILD_OF within the trace, else the first FOLLOWS_FROM; every other reference is a link
  let parent: { traceId: string; spanId: string } | null = null
  const refs = (s.references ?? []).map((r) => ({ type: r.refType.toUpperCase(), traceId: hexId(r.traceID, 32, `span ${s.spanID}: reference traceID`), spanId: hexId(r.spanID, 16, `span ${s.spanID}: reference spanID`) }))
  parent = refs.find((r) => r.type === 'CHILD_OF' && r.traceId === traceId) ?? refs.find((r) => r.traceId === traceId) ?? null
  const links: { traceId: string; spanId: string }[] = []
  for (const r of refs) {
    if (parent && r.traceId === parent.traceId && r.spanId === parent.spanId) continue
    if (!links.some((l) => l.traceId === r.traceId && l.spanId === r.spanId)) links.push({ traceId: r.traceId, spanId: r.spanId })
  }

  return {
    traceId,
    spanId,
    parentSpanId: parent ? parent.spanId : null,
    name: s.operationName,
    service,
    kind,
    startUs: s.startTime,
    durationUs: s.duration,
    status: { code, ...(message ? { message } : {}) },
    attributes,
    resource,
    ...(typeof scopeName === 'string' && scopeName ? { scope: { name: scopeName, ...(typeof scopeVersion === 'string' && scopeVersion ? { version: scopeVersion } : {}) } } : {}),
    events: (s.logs ?? []).map((log) => {
      const fields = tagsToAttributes(log.fields)
      const name = typeof fields['event'] === 'string' ? (fields['event'] as string) : typeof fields['message'] === 'string' ? (fields['message'] as string) : 'log'
      if (typeof fields['event'] === 'string') delete fields['event']
      return { name, timeUs: log.timestamp, attributes: fields }
    }),
    links,
  }
}

/**
 * One trace in Jaeger's JSON model (as in /api/traces data[], or the UI's trace JSON) into Firebreak's. Trace-level
 * warnings (Jaeger adds them when it had to adjust or could not load part of a trace) make it partial.
 */
export function traceFromJaeger(input: unknown, source = 'Jaeger'): Trace {
  const parsed = jaegerTraceSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new JaegerFormatError(`${issue.path.join('.') || '(trace)'}: ${issue.message}`)
  }
  const t = parsed.data
  const traceId = hexId(t.traceID, 32, 'traceID')
  const spanWarnings = new Set<string>()
  const spans = t.spans.map((s) => spanFromJaeger(s, t.processes ?? {}, spanWarnings))
  const reasons = (t.warnings ?? []).length > 0 ? [`${source} warned: ${(t.warnings ?? []).join('; ')}`] : []
  return assembleTrace(traceId, spans, source, reasons)
}

/** Traces from an api/v3 answer (OTLP/JSON under "result"); proto3 JSON leaves zero times out, so they default to 0. */
export function tracesFromJaegerV3(input: unknown, source = 'Jaeger'): Trace[] {
  const parsed = v3Answer.safeParse(input)
  if (!parsed.success || !('result' in parsed.data)) throw new JaegerFormatError('not an api/v3 traces answer (no "result")')
  const result = structuredClone(parsed.data.result) as { resourceSpans?: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] }
  for (const rs of result.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const sp of ss.spans ?? []) {
    sp.startTimeUnixNano ??= '0'
    sp.endTimeUnixNano ??= sp.startTimeUnixNano
  }
  let spans: TraceSpan[]
  try {
    spans = spansFromOtlpJson({ resourceSpans: result.resourceSpans ?? [] })
  } catch (error) {
    if (error instanceof OtlpFormatError) throw new JaegerFormatError(error.message)
    throw error
  }
  const byTrace = new Map<string, TraceSpan[]>()
  for (const s of spans) {
    const list = byTrace.get(s.traceId)
    if (list) list.push(s)
    else byTrace.set(s.traceId, [s])
  }
  return [...byTrace].map(([traceId, list]) => assembleTrace(traceId, list, source))
}

/** Every trace in a Jaeger answer: the v1 envelope ({data, errors}), a bare v1 trace, or an api/v3 answer. */
export function tracesFromJaegerAnswer(input: unknown, source = 'Jaeger'): Trace[] {
  if (input && typeof input === 'object' && 'result' in input) return tracesFromJaegerV3(input, source)
  if (input && typeof input === 'object' && 'traceID' in input && 'spans' in input) return [traceFromJaeger(input, source)]
  const parsed = jaegerEnvelopeSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new JaegerFormatError(`${issue.path.join('.') || '(body)'}: ${issue.message}`)
  }
  return (parsed.data.data ?? []).map((t) => traceFromJaeger(t, source))
}

// ---------------------------------------------------------------------------------------------------------------
// The source

export interface JaegerOptions extends BackendOptions {
  /** 'v1' (default): the JSON API every Jaeger query service serves; 'v3': the OTLP/JSON api/v3 gateway (Jaeger v2) */
  apiVersion?: 'v1' | 'v3'
  /** attributes that name the model a span called; the first is what the model filter searches */
  modelAttributes?: string[]
  /** how many services a search without one fans out to (Jaeger needs a service to search) */
  maxServices?: number
  name?: string
}

/** Jaeger's own services, never what an incident is about */
const INTERNAL_SERVICES = new Set(['jaeger-query', 'jaeger-all-in-one', 'jaeger'])

export class JaegerTraceSource implements TraceSource {
  readonly name: string

  constructor(private readonly options: JaegerOptions) {
    this.name = options.name ?? 'Jaeger'
  }

  private get http(): BackendOptions {
    return { credentialsHint: 'JAEGER_BEARER_TOKEN or JAEGER_USERNAME and JAEGER_PASSWORD', ...this.options }
  }

  private parse(answer: BackendAnswer): Trace[] {
    try {
      return tracesFromJaegerAnswer(answer.json, this.name)
    } catch (error) {
      if (error instanceof JaegerFormatError) throw new TraceSourceError(`${this.name} answered with something that is not a trace (${error.message})`, 'backend')
      throw error
    }
  }

  async getTrace(traceId: string): Promise<Trace | null> {
    const id = normalizeTraceId(traceId)
    if (!id) throw new TraceSourceError(`“${snippet(traceId)}” is not a trace id: use 32 (or 16) hex digits`, 'query')
    const path = this.options.apiVersion === 'v3' ? `/api/v3/traces/${id}` : `/api/traces/${id}`
    const answer = await getFromBackend(this.name, this.http, path)
    if (answer.status === 404) return null
    if (answer.status < 200 || answer.status >= 300) throw statusError(this.name, answer, this.errorMessage(answer.json))
    const v1Errors = this.v1Errors(answer.json)
    const traces = this.parse(answer)
    if (traces.length === 0) {
      if (v1Errors.some((e) => e.code === 404 || /not found/i.test(e.msg ?? ''))) return null
      if (v1Errors.length > 0) throw new TraceSourceError(`${this.name}: ${v1Errors.map((e) => e.msg).join('; ')}`, 'backend')
      return null
    }
    // a 64-bit id and its zero-padded 128-bit form are the same trace to Jaeger: keep the spans, name it as asked
    const spans = traces.flatMap((t) => t.spans)
    const reasons = traces.map((t) => t.partial?.reason).filter((r): r is string => !!r)
    if (v1Errors.length > 0) reasons.push(`${this.name} reported: ${v1Errors.map((e) => e.msg).join('; ')}`)
    const trace = traces.length === 1 && v1Errors.length === 0 ? traces[0] : assembleTrace(id, spans, this.name, [...new Set(reasons)])
    return { ...trace, traceId: id }
  }

  private v1Errors(json: unknown): { code?: number; msg?: string }[] {
    const errors = (json as { errors?: unknown })?.errors
    return Array.isArray(errors) ? errors.filter((e): e is { code?: number; msg?: string } => !!e && typeof e === 'object') : []
  }

  private errorMessage(json: unknown): string | undefined {
    const v1 = this.v1Errors(json)
      .map((e) => e.msg)
      .filter(Boolean)
    if (v1.length > 0) return v1.join('; ')
    const v3 = (json as { error?: { message?: string } })?.error?.message
    return typeof v3 === 'string' ? v3 : undefined
  }

  async search(query: TraceSearch): Promise<TraceSummary[]> {
    const modelAttributes = this.options.modelAttributes ?? ['gen_ai.request.model']
    let services: string[]
    if (query.service) services = [query.service]
    else {
      services = (await this.services()).filter((s) => !INTERNAL_SERVICES.has(s)).sort()
      services = services.slice(0, this.options.maxServices ?? 20)
    }
    const found = new Map<string, TraceSummary>()
    let firstError: unknown
    let failures = 0
    // a few services at a time: Jaeger answers a search with whole traces
    for (let i = 0; i < services.length; i += 4) {
      const batch = services.slice(i, i + 4)
      const results = await Promise.allSettled(batch.map((service) => this.searchService(service, query, modelAttributes)))
      for (const result of results) {
        if (result.status === 'rejected') {
          failures++
          firstError ??= result.reason
          continue
        }
        for (const summary of result.value) if (!found.has(summary.traceId)) found.set(summary.traceId, summary)
      }
    }
    if (failures > 0 && failures === services.length) throw firstError
    return [...found.values()]
      .filter((s) => matchesSearch(s, { ...query, service: undefined }))
      .sort((a, b) => b.startUs - a.startUs)
      .slice(0, query.limit)
  }

  private async services(): Promise<string[]> {
    const path = this.options.apiVersion === 'v3' ? '/api/v3/services' : '/api/services'
    const answer = await getFromBackend(this.name, this.http, path)
    if (answer.status < 200 || answer.status >= 300) throw statusError(this.name, answer, this.errorMessage(answer.json))
    if (this.options.apiVersion === 'v3') {
      const parsed = z.object({ services: z.array(z.string()).nullish() }).passthrough().safeParse(answer.json)
      if (!parsed.success) throw new TraceSourceError(`${this.name} answered its services list with something unexpected`, 'backend')
      return parsed.data.services ?? []
    }
    const parsed = servicesEnvelope.safeParse(answer.json)
    if (!parsed.success) throw new TraceSourceError(`${this.name} answered its services list with something unexpected`, 'backend')
    return parsed.data.data ?? []
  }

  private async searchService(service: string, query: TraceSearch, modelAttributes: string[]): Promise<TraceSummary[]> {
    const params = new URLSearchParams()
    let path: string
    if (this.options.apiVersion === 'v3') {
      // api/v3 over HTTP takes no attribute filters: status, model and attributes are checked on the traces it returns
      path = '/api/v3/traces'
      params.set('query.service_name', service)
      params.set('query.start_time_min', query.start.toISOString())
      params.set('query.start_time_max', query.end.toISOString())
      params.set('query.num_traces', String(query.limit))
      if (query.minDurationMs !== undefined) params.set('query.duration_min', goDuration(query.minDurationMs))
      if (query.maxDurationMs !== undefined) params.set('query.duration_max', goDuration(query.maxDurationMs))
    } else {
      path = '/api/traces'
      params.set('service', service)
      params.set('start', String(query.start.getTime() * 1000))
      params.set('end', String(query.end.getTime() * 1000))
      params.set('limit', String(query.limit))
      // Jaeger's durations are per span: a narrowing, then the trace's own duration is checked below
      if (query.minDurationMs !== undefined) params.set('minDuration', goDuration(query.minDurationMs))
      if (query.maxDurationMs !== undefined) params.set('maxDuration', goDuration(query.maxDurationMs))
      const tags: Record<string, string> = { ...query.attributes }
      if (query.model !== undefined) tags[modelAttributes[0] ?? 'gen_ai.request.model'] = query.model
      if (query.status === 'error') tags['error'] = 'true'
      if (Object.keys(tags).length > 0) params.set('tags', JSON.stringify(tags))
    }
    const answer = await getFromBackend(this.name, this.http, path, params)
    if (answer.status === 404) return []
    if (answer.status < 200 || answer.status >= 300) throw statusError(this.name, answer, this.errorMessage(answer.json))
    const traces = this.parse(answer)
    const summaries = traces.map((t) => summaryOf(t, modelAttributes))
    if (this.options.apiVersion !== 'v3') return summaries
    return summaries.filter((summary, i) => {
      const trace = traces[i]
      return Object.entries(query.attributes ?? {}).every(([key, value]) => trace.spans.some((s) => String(s.attributes[key] ?? s.resource[key] ?? '') === value))
    })
  }
}
