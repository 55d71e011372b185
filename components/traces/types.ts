/** What the trace API routes answer (app/api/traces/**), as the screens read them. */
import type { CompactSpan, Finding, ModelCall, TraceSpan, TraceSummary } from '@/lib/traces/model'

export interface SourceError {
  /** "Tempo", "Jaeger", "OTLP receiver" */
  source: string
  message: string
}

/** GET /api/traces/{traceId} */
export interface TraceResponse {
  source: string
  traceId: string
  partial: { reason: string } | null
  spanCount: number
  startUs: number
  durationUs: number
  /** depth-first by start time; parentSpanId gives the tree */
  spans: CompactSpan[]
  findings: Finding[]
  sourceErrors: SourceError[]
}

/** GET /api/traces/{traceId}/spans/{spanId} */
export interface SpanDetailResponse {
  span: TraceSpan
  modelCall: ModelCall | null
  children: number
}

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
