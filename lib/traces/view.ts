/**
 * What the trace page is sent, computed from a (redacted) trace. Pure. The waterfall gets CompactSpans only: ids,
 * names, times, status and the model a span called, never attributes, so a 100,000-span trace stays a few MB; a
 * span's attributes are fetched when its row is opened.
 */
import { z } from 'zod'
import { AppError } from '@/lib/errors'
import type { TraceConfig } from './config'
import { modelCallOf } from './genai'
import { isSpanId, normalizeTraceId, type CompactSpan, type Finding, type Trace, type TraceSearch, type TraceSpan } from './model'

export interface SourceErrorView {
  source: string
  message: string
}

/** GET /api/traces/{traceId} */
export interface TraceView {
  source: string
  traceId: string
  partial: { reason: string } | null
  spanCount: number
  startUs: number
  durationUs: number
  spans: CompactSpan[]
  findings: Finding[]
  sourceErrors: SourceErrorView[]
}

/** GET /api/traces/{traceId}/spans/{spanId} */
export interface SpanDetailView {
  span: TraceSpan
  modelCall: ReturnType<typeof modelCallOf>
  /** direct children in the trace */
  children: number
}

/** Earliest start and total extent, in loops (a spread of 100,000 spans into Math.min overflows the stack). */
export function traceBounds(spans: readonly TraceSpan[]): { startUs: number; durationUs: number } {
  if (spans.length === 0) return { startUs: 0, durationUs: 0 }
  let start = Infinity
  let end = -Infinity
  for (const s of spans) {
    if (s.startUs < start) start = s.startUs
    if (s.startUs + s.durationUs > end) end = s.startUs + s.durationUs
  }
  return { startUs: start, durationUs: end - start }
}

function byStart(a: TraceSpan, b: TraceSpan): number {
  return a.startUs - b.startUs || a.name.localeCompare(b.name) || a.spanId.localeCompare(b.spanId)
}

/**
 * The spans in waterfall order: depth-first, siblings by start time. Spans whose parent is not in the trace (a
 * partial trace) are placed as top-level rows at their start; a parent cycle (corrupt data) cannot loop, its spans
 * come last. Iterative, so a 100,000-deep chain does not overflow the stack.
 */
export function orderSpans(trace: Trace): TraceSpan[] {
  const ids = new Set(trace.spans.map((s) => s.spanId))
  const children = new Map<string, TraceSpan[]>()
  const roots: TraceSpan[] = []
  for (const span of trace.spans) {
    if (span.parentSpanId === null || !ids.has(span.parentSpanId) || span.parentSpanId === span.spanId) roots.push(span)
    else {
      const list = children.get(span.parentSpanId)
      if (list) list.push(span)
      else children.set(span.parentSpanId, [span])
    }
  }
  roots.sort(byStart)
  for (const list of children.values()) list.sort(byStart)
  const ordered: TraceSpan[] = []
  const visited = new Set<string>()
  const stack: TraceSpan[] = [...roots].reverse()
  while (stack.length > 0) {
    const span = stack.pop()!
    if (visited.has(span.spanId)) continue
    visited.add(span.spanId)
    ordered.push(span)
    const kids = children.get(span.spanId)
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i])
  }
  if (ordered.length < trace.spans.length) for (const span of [...trace.spans].sort(byStart)) if (!visited.has(span.spanId)) ordered.push(span)
  return ordered
}

export function toCompactSpan(span: TraceSpan, config: TraceConfig): CompactSpan {
  const call = modelCallOf(span, config)
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    service: span.service,
    kind: span.kind,
    startUs: span.startUs,
    durationUs: span.durationUs,
    status: span.status.code,
    ...(call?.model !== undefined ? { model: call.model } : {}),
    ...(call?.stage !== undefined ? { stage: call.stage } : {}),
  }
}

/** The waterfall rows of a trace, depth-first by start time, with the model and stage of model-call spans. */
export function toCompactSpans(trace: Trace, config: TraceConfig): CompactSpan[] {
  return orderSpans(trace).map((span) => toCompactSpan(span, config))
}

export function toTraceView(input: { trace: Trace; config: TraceConfig; findings: Finding[]; sourceErrors: SourceErrorView[] }): TraceView {
  const { trace } = input
  return {
    source: trace.source,
    traceId: trace.traceId,
    partial: trace.partial ?? null,
    spanCount: trace.spans.length,
    ...traceBounds(trace.spans),
    spans: toCompactSpans(trace, input.config),
    findings: input.findings,
    sourceErrors: input.sourceErrors,
  }
}

/** Span lookups for the details endpoint, built once per cached trace. */
export class SpanIndex {
  private readonly byId = new Map<string, TraceSpan>()
  private readonly childCounts = new Map<string, number>()

  constructor(trace: Trace) {
    for (const span of trace.spans) {
      this.byId.set(span.spanId, span)
      if (span.parentSpanId !== null) this.childCounts.set(span.parentSpanId, (this.childCounts.get(span.parentSpanId) ?? 0) + 1)
    }
  }

  span(spanId: string): TraceSpan | undefined {
    return this.byId.get(spanId)
  }

  children(spanId: string): number {
    return this.childCounts.get(spanId) ?? 0
  }
}

export function toSpanDetail(span: TraceSpan, index: SpanIndex, config: TraceConfig): SpanDetailView {
  return { span, modelCall: modelCallOf(span, config), children: index.children(span.spanId) }
}

// ---------------------------------------------------------------------------------------------------------------
// Request parameters of the trace API

/** A trace id from a URL: 32 hex digits (or Jaeger's 16, left-padded), any case; anything else is the caller's 400. */
export function parseTraceIdParam(input: string): string {
  const id = normalizeTraceId(decodeURIComponent(input))
  if (!id) throw new AppError('bad_request', 'A trace id is 32 hexadecimal digits (or 16 for a 64-bit Jaeger id), not all zero.')
  return id
}

export function parseSpanIdParam(input: string): string {
  const id = decodeURIComponent(input).trim().toLowerCase()
  if (!isSpanId(id)) throw new AppError('bad_request', 'A span id is 16 hexadecimal digits, not all zero.')
  return id
}

/** Unix seconds, unix milliseconds or an ISO 8601 time. */
const timeParam = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) < 1e11 ? Number(text) * 1000 : Number(text)) : new Date(text)
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a time: use ISO 8601 or unix seconds' })
      return z.NEVER
    }
    return date
  })

const durationMs = z.coerce.number().nonnegative().max(7 * 86_400_000)
const text = z.string().trim().min(1).max(200)

export const MAX_SEARCH_LIMIT = 100
export const DEFAULT_SEARCH_LIMIT = 20
const MAX_SEARCH_RANGE_MS = 31 * 86_400_000

const searchParamsSchema = z
  .object({
    start: timeParam.optional(),
    end: timeParam.optional(),
    service: text.optional(),
    model: text.optional(),
    status: z.enum(['error', 'ok']).optional(),
    minDurationMs: durationMs.optional(),
    maxDurationMs: durationMs.optional(),
    attr: z
      .array(
        z
          .string()
          .regex(/^[^:]{1,200}:.{0,1000}$/s, 'is not key:value (a key of up to 200 characters, a colon, a value)')
          .transform((pair) => {
            const at = pair.indexOf(':')
            return [pair.slice(0, at).trim(), pair.slice(at + 1)] as const
          })
          .refine(([key]) => key.length > 0, 'has an empty key'),
      )
      .max(20, 'at most 20 attribute filters')
      .default([]),
    limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
  })
  .strict()

/**
 * GET /api/traces' query string into a TraceSearch: the last hour and 20 traces unless told otherwise, at most 100,
 * at most 31 days. `attr` repeats (attr=pipeline:rag-chat&attr=tenant:acme). Mistakes are a ZodError (400 with issues).
 */
export function parseTraceSearchParams(params: URLSearchParams, now: Date = new Date()): TraceSearch {
  const raw: Record<string, unknown> = {}
  for (const key of new Set(params.keys())) raw[key] = key === 'attr' ? params.getAll(key) : params.get(key)
  const parsed = searchParamsSchema
    .superRefine((q, ctx) => {
      const end = q.end ?? now
      const start = q.start ?? new Date(end.getTime() - 3_600_000)
      if (end <= start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' })
      if (end.getTime() - start.getTime() > MAX_SEARCH_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['start'], message: 'the range is at most 31 days' })
      if (q.minDurationMs !== undefined && q.maxDurationMs !== undefined && q.minDurationMs > q.maxDurationMs) ctx.addIssue({ code: 'custom', path: ['maxDurationMs'], message: 'must be at least minDurationMs' })
    })
    .parse(raw)
  const end = parsed.end ?? now
  const start = parsed.start ?? new Date(end.getTime() - 3_600_000)
  return {
    start,
    end,
    limit: parsed.limit,
    ...(parsed.service !== undefined ? { service: parsed.service } : {}),
    ...(parsed.model !== undefined ? { model: parsed.model } : {}),
    ...(parsed.status !== undefined ? { status: parsed.status } : {}),
    ...(parsed.minDurationMs !== undefined ? { minDurationMs: parsed.minDurationMs } : {}),
    ...(parsed.maxDurationMs !== undefined ? { maxDurationMs: parsed.maxDurationMs } : {}),
    ...(parsed.attr.length > 0 ? { attributes: Object.fromEntries(parsed.attr) } : {}),
  }
}
