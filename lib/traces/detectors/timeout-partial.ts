/**
 * Timeout-induced partial results (seed 000 #5): a call ran out of its latency budget, the partial output it had was
 * passed on, and a later stage processed it as if it were complete. The request still succeeded, so nothing paged.
 */
import type { Finding, ModelCall, Trace, TraceSpan } from '../model'
import type { TraceConfig } from '../config'
import { analyze, describeSpan, endUs, findingId, formatDuration, matchesAny, retried, traceSucceeded, type TraceAnalysis } from './tree'

export const TIMEOUT_DETECTOR = 'timeout-partial-results'

/** the first stages that ran on a partial output are the ones to open; the rest are counted in the evidence */
const MAX_CONSUMERS_LISTED = 5

export interface TimeoutEvidence {
  /** what says it timed out, for the summary: `status "deadline exceeded"`, `HTTP 504`, `at or over its timeout of 60 s` */
  reason: string
  timeoutMs?: number
}

/** Why a span counts as timed out, or null. Any span can time out; the duration rule applies to stages only. */
export function timeoutOf(span: TraceSpan, call: ModelCall | null, config: TraceConfig): TimeoutEvidence | null {
  const rules = config.detectors.timeout
  if (span.status.code === 'error' && matchesAny(span.status.message, rules.patterns)) return { reason: `status "${span.status.message}"` }
  const errorType = span.attributes['error.type']
  if (typeof errorType === 'string' && matchesAny(errorType, rules.patterns)) return { reason: `error.type=${errorType}` }
  const httpStatus = Number(span.attributes['http.response.status_code'])
  if (rules.httpStatusCodes.includes(httpStatus)) return { reason: `HTTP ${httpStatus}` }
  for (const event of span.events) {
    if (event.name !== 'exception') continue
    const type = String(event.attributes['exception.type'] ?? '')
    const message = String(event.attributes['exception.message'] ?? '')
    if (matchesAny(type, rules.patterns) || matchesAny(message, rules.patterns)) return { reason: `exception ${[type, message].filter(Boolean).join(': ')}` }
  }
  if (!call) return null
  const aborted = call.finishReasons?.find((r) => rules.finishReasons.some((a) => a.toLowerCase() === r.toLowerCase()))
  if (aborted) return { reason: `finish_reason=${aborted}` }
  const timeoutMs = (call.stage !== undefined ? rules.stageTimeoutsMs[call.stage] : undefined) ?? rules.stageTimeoutMs
  // A stage that finished on its own (stop, length) was slow, not cut off.
  if (timeoutMs !== null && !call.finishReasons?.length && span.durationUs >= timeoutMs * 1000)
    return { reason: `at or over its timeout of ${formatDuration(timeoutMs * 1000)}`, timeoutMs }
  return null
}

export function detectTimeoutPartialResults(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  return analysis.memo(TIMEOUT_DETECTOR, () => timeoutFindings(trace, config, analysis))
}

function timeoutFindings(trace: Trace, config: TraceConfig, analysis: TraceAnalysis): Finding[] {
  if (!traceSucceeded(analysis)) return []
  const timedOut = new Map<string, TimeoutEvidence>()
  for (const span of trace.spans) {
    const evidence = timeoutOf(span, analysis.callOf(span), config)
    if (evidence) timedOut.set(span.spanId, evidence)
  }
  if (timedOut.size === 0) return []
  // the outermost timed-out span is the one whose output the pipeline passed on
  const insideTimeout = analysis.belowAny((s) => timedOut.has(s.spanId))
  const stages = trace.spans.filter((s) => s.status.code !== 'error' && analysis.callOf(s) !== null).sort((a, b) => a.startUs - b.startUs)
  const findings: Finding[] = []
  for (const span of trace.spans) {
    const timeout = timedOut.get(span.spanId)
    if (!timeout || insideTimeout(span)) continue
    if (retried(analysis, span, (s) => timedOut.has(s.spanId) || s.status.code === 'error')) continue
    const end = endUs(span)
    const consumers = stages.slice(firstStartingAt(stages, end)).filter((s) => !analysis.isDescendantOf(s, span))
    if (consumers.length === 0) continue

    const first = consumers[0]
    const more = consumers.length > 1 ? ` (and ${consumers.length - 1} later stage${consumers.length > 2 ? 's' : ''})` : ''
    const evidence: Finding['evidence'] = {
      reason: timeout.reason,
      durationMs: Math.round(span.durationUs / 1000),
      consumedBy: first.name,
      laterStages: consumers.length,
    }
    if (timeout.timeoutMs !== undefined) evidence.timeoutMs = timeout.timeoutMs
    findings.push({
      id: findingId(TIMEOUT_DETECTOR, span.spanId),
      detector: TIMEOUT_DETECTOR,
      failureClass: 'timeout-partial-results',
      severity: 'critical',
      summary: `${describeSpan(span, analysis.callOf(span))} timed out after ${formatDuration(span.durationUs)} (${timeout.reason}), yet ${describeSpan(first, analysis.callOf(first))}${more} ran on its output and the request succeeded`,
      spanIds: [span.spanId, ...consumers.slice(0, MAX_CONSUMERS_LISTED).map((c) => c.spanId)],
      evidence,
    })
  }
  return findings
}

/** index of the first span (sorted by start) starting at or after the time */
function firstStartingAt(sorted: TraceSpan[], timeUs: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (sorted[mid].startUs < timeUs) low = mid + 1
    else high = mid
  }
  return low
}
