/**
 * Firebreak's one trace model. Every source (the OTLP receiver, Jaeger, Tempo, a pinned case) converts to it at its
 * edge; nothing else in the app knows a wire format. Times are unix microseconds (a number holds them exactly for
 * centuries); ids are lowercase hex (32 characters for a trace, 16 for a span).
 */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue }
export type Attributes = Record<string, AttributeValue>

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer'
export type SpanStatusCode = 'unset' | 'ok' | 'error'

export interface SpanEvent {
  name: string
  timeUs: number
  attributes: Attributes
}

export interface TraceSpan {
  traceId: string
  spanId: string
  /** null for a root span */
  parentSpanId: string | null
  name: string
  /** the resource's service.name, or "unknown_service" as the SDKs say */
  service: string
  kind: SpanKind
  startUs: number
  durationUs: number
  status: { code: SpanStatusCode; message?: string }
  attributes: Attributes
  resource: Attributes
  scope?: { name: string; version?: string }
  events: SpanEvent[]
  links: { traceId: string; spanId: string }[]
}

export interface Trace {
  traceId: string
  spans: TraceSpan[]
  /** set when the source says or we can see that spans are missing (Tempo's size cap, a parent never received) */
  partial?: { reason: string }
  /** which source this copy came from: "OTLP receiver", "Jaeger", "Tempo", "case snapshot" */
  source: string
}

export interface TraceSummary {
  traceId: string
  rootService: string
  rootName: string
  startUs: number
  durationUs: number
  spanCount: number
  errorCount: number
  services: string[]
  /** gen_ai.request.model values seen in the trace */
  models: string[]
}

export interface TraceSearch {
  start: Date
  end: Date
  service?: string
  /** a gen_ai.request.model (or mapped) value */
  model?: string
  status?: 'error' | 'ok'
  minDurationMs?: number
  maxDurationMs?: number
  /** exact attribute matches, e.g. { "pipeline": "rag-chat" } */
  attributes?: Record<string, string>
  limit: number
}

/** What Firebreak needs from a trace backend. Jaeger, Tempo and the built-in OTLP store implement it. */
export interface TraceSource {
  readonly name: string
  /** null when the backend does not have the trace (expired or never sent) */
  getTrace(traceId: string): Promise<Trace | null>
  search(query: TraceSearch): Promise<TraceSummary[]>
}

export class TraceSourceError extends Error {
  constructor(
    message: string,
    /** "query" when the request is wrong (bad id, bad search), "backend" when the backend is down or answered nonsense */
    readonly kind: 'query' | 'backend',
  ) {
    super(message)
  }
}

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/

/** A trace id as users paste it: 32 hex digits, any case; 16-digit (64-bit Jaeger) ids are left-padded. */
export function normalizeTraceId(input: string): string | null {
  const id = input.trim().toLowerCase()
  if (/^[0-9a-f]{16}$/.test(id)) return id.padStart(32, '0')
  return TRACE_ID.test(id) && !/^0+$/.test(id) ? id : null
}

export function isSpanId(id: string): boolean {
  return SPAN_ID.test(id) && !/^0+$/.test(id)
}

/** Summary of a whole trace, for search results and case lists. */
export function summarize(trace: Trace, modelAttributes: string[] = ['gen_ai.request.model']): TraceSummary {
  const spans = trace.spans
  const ids = new Set(spans.map((s) => s.spanId))
  const root = spans.find((s) => s.parentSpanId === null) ?? spans.find((s) => !ids.has(s.parentSpanId!)) ?? spans[0]
  // loops, not Math.min(...spans): spreading 100,000 arguments overflows the stack
  let start = Infinity
  let end = -Infinity
  for (const s of spans) {
    if (s.startUs < start) start = s.startUs
    if (s.startUs + s.durationUs > end) end = s.startUs + s.durationUs
  }
  const models = new Set<string>()
  for (const s of spans) for (const key of modelAttributes) if (typeof s.attributes[key] === 'string') models.add(s.attributes[key] as string)
  return {
    traceId: trace.traceId,
    rootService: root?.service ?? 'unknown_service',
    rootName: root?.name ?? '',
    startUs: spans.length ? start : 0,
    durationUs: spans.length ? end - start : 0,
    spanCount: spans.length,
    errorCount: spans.filter((s) => s.status.code === 'error').length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    models: [...models].sort(),
  }
}

/**
 * What a model call span tells a debugger (seeds 000 and 003), read from OpenTelemetry GenAI attributes
 * (gen_ai.request.model, gen_ai.usage.input_tokens, gen_ai.response.finish_reasons, …) or configured other names.
 */
export interface ModelCall {
  /** pipeline stage: router, embedder, retriever, generator, judge, post-processing */
  stage?: string
  model?: string
  modelVersion?: string
  provider?: string
  quantization?: string
  loraAdapter?: string
  temperature?: number
  topP?: number
  maxTokens?: number
  contextWindow?: number
  inputTokens?: number
  outputTokens?: number
  finishReasons?: string[]
  prompt?: string
  retrievedDocuments?: string[]
  upstreamOutput?: string
  rawOutput?: string
  postProcessedOutput?: string
  routingDecision?: string
  routingSignals?: Attributes
}

/** A trace-level failure signature a detector found: what it saw, where, and which failure class it suggests. */
export interface Finding {
  /** stable within a trace: detector id + span id */
  id: string
  detector: string
  /** a failure class id from lib/taxonomy, whose runbook is /runbooks/<failureClass> */
  failureClass: string
  severity: 'warning' | 'critical'
  /** one sentence a responder reads: what was seen, with the value and the threshold */
  summary: string
  spanIds: string[]
  evidence: Record<string, string | number | boolean>
}

/** One row of the waterfall: enough to draw it; the rest of a span is loaded when the row is opened. */
export interface CompactSpan {
  spanId: string
  parentSpanId: string | null
  name: string
  service: string
  kind: SpanKind
  startUs: number
  durationUs: number
  status: SpanStatusCode
  /** the model a model-call span called, for the row's label */
  model?: string
  stage?: string
}
