/** What the trace API routes answer (app/api/traces/**): lib/traces/view.ts's own shapes, imported as types only. */
import type { TraceSummary } from '@/lib/traces/model'
import type { SourceErrorView, SpanDetailView, TraceView } from '@/lib/traces/view'

/** "Tempo", "Jaeger" or "OTLP receiver", and what went wrong there */
export type SourceError = SourceErrorView
/** GET /api/traces/{traceId} */
export type TraceResponse = TraceView
/** GET /api/traces/{traceId}/spans/{spanId} */
export type SpanDetailResponse = SpanDetailView

/** GET /api/traces?… */
export interface TraceSearchResponse {
  traces: TraceSummary[]
  sourceErrors: SourceError[]
}

/** Reads the per-source errors a 503 may carry in error.details, whatever shape they come in. */
export function sourceErrorsOf(details: unknown): SourceError[] {
  const list = Array.isArray(details) ? details : details && typeof details === 'object' ? (details as { sourceErrors?: unknown; sources?: unknown }).sourceErrors ?? (details as { sources?: unknown }).sources : undefined
  if (!Array.isArray(list)) return []
  return list
    .filter((e): e is { source: unknown; message: unknown } => !!e && typeof e === 'object' && 'source' in e && 'message' in e)
    .map((e) => ({ source: String(e.source), message: String(e.message) }))
}
