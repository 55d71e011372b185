/** What a case records about its trace besides the snapshot: the columns the library filters and sorts on. */
import { DEFAULT_TRACE_CONFIG, type TraceConfig } from '@/lib/traces/config'
import type { Trace, TraceSpan } from '@/lib/traces/model'

/**
 * Span (then resource) attributes that name the pipeline a request went through, root span first. The trace
 * configuration maps model-call fields only; these are the names instrumentations use for the pipeline, the same key
 * the trace search filters on (`pipeline`).
 */
export const PIPELINE_ATTRIBUTES = ['pipeline', 'pipeline.name', 'firebreak.pipeline', 'llm.pipeline']

export interface TraceFacts {
  pipeline: string | null
  models: string[]
  spanCount: number
  traceStartedAt: Date
}

/** The root span (no parent, or a parent the trace does not hold), else the earliest span. */
export function rootSpan(trace: Trace): TraceSpan | undefined {
  const ids = new Set(trace.spans.map((s) => s.spanId))
  return (
    trace.spans.find((s) => s.parentSpanId === null) ??
    trace.spans.find((s) => !ids.has(s.parentSpanId!)) ??
    trace.spans.reduce<TraceSpan | undefined>((first, s) => (!first || s.startUs < first.startUs ? s : first), undefined)
  )
}

export function pipelineOf(trace: Trace): string | null {
  const root = rootSpan(trace)
  const ordered = root ? [root, ...trace.spans.filter((s) => s !== root)] : trace.spans
  for (const where of ['attributes', 'resource'] as const) {
    for (const span of ordered) {
      for (const key of PIPELINE_ATTRIBUTES) {
        const value = span[where][key]
        if (typeof value === 'string' && value.trim()) return value.trim()
      }
    }
  }
  return null
}

/** In loops, not Math.min(...spans): a spread of 100,000 spans overflows the stack. */
export function describeTrace(trace: Trace, config: TraceConfig = DEFAULT_TRACE_CONFIG): TraceFacts {
  const models = new Set<string>()
  let startUs = Infinity
  for (const span of trace.spans) {
    if (span.startUs < startUs) startUs = span.startUs
    for (const key of config.attributes.model) {
      const value = span.attributes[key]
      if (typeof value === 'string' && value.trim()) models.add(value.trim())
    }
  }
  return {
    pipeline: pipelineOf(trace),
    models: [...models].sort(),
    spanCount: trace.spans.length,
    // startUs is microseconds; a Date keeps milliseconds, which is what the list shows and filters on
    traceStartedAt: new Date(Number.isFinite(startUs) ? Math.floor(startUs / 1000) : 0),
  }
}
