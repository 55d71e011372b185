/**
 * An error that went nowhere: a span failed, every span above it reports ok or nothing, and the request succeeded. The
 * caller swallowed the failure and carried on with whatever it put in its place: an empty context, a default label, a
 * fallback answer (seed 004: "distributed inference fails quietly").
 *
 * Which class: by default cascading-context-corruption. A stage whose input was silently replaced hands downstream
 * something valid by schema and wrong by meaning, and every later model behaves correctly on it (seed 000 #1): the
 * runbook's "each stage, replayed alone on its recorded input, behaves correctly" is exactly what a swallowed error
 * looks like from the outside. The error itself sometimes says more, and then its own class fits better:
 * - a parse or validation error: the consumer could not read the producer (api-contract-version-skew, "requests
 *   falling back to defaults");
 * - a timeout: the stage's partial or missing result went out as if complete (timeout-partial-results), unless the
 *   timeout detector already reports the span with the stage that consumed it;
 * - HTTP 429: throttling-capacity; HTTP 401: auth-failures (seed 002 F7, F6).
 */
import type { Finding, ModelCall, Trace, TraceSpan } from '../model'
import type { TraceConfig } from '../config'
import { detectTimeoutPartialResults, timeoutOf } from './timeout-partial'
import { analyze, describeSpan, errorText, findingId, matchesAny, retried, traceSucceeded, type TraceAnalysis } from './tree'

export const SILENT_ERROR_DETECTOR = 'silent-error'

export function detectSilentErrors(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  if (!traceSucceeded(analysis)) return []
  const reportedTimeouts = new Set(detectTimeoutPartialResults(trace, config, analysis).map((f) => f.spanIds[0]))
  const belowError = analysis.belowAny((s) => s.status.code === 'error')
  const findings: Finding[] = []
  for (const span of trace.spans) {
    if (span.status.code !== 'error' || reportedTimeouts.has(span.spanId)) continue
    const parent = analysis.parentOf(span)
    // a root's error is not silent, and an error some ancestor also reports was seen (the topmost one is reported)
    if (!parent || belowError(span)) continue
    if (retried(analysis, span, (s) => s.status.code === 'error')) continue

    const call = analysis.callOf(span)
    const { failureClass, error } = classify(span, call, config)
    const evidence: Finding['evidence'] = { error, swallowedBy: parent.name, swallowedByStatus: parent.status.code }
    const httpStatus = span.attributes['http.response.status_code']
    if (typeof httpStatus === 'number' || typeof httpStatus === 'string') evidence.httpStatus = Number(httpStatus)
    findings.push({
      id: findingId(SILENT_ERROR_DETECTOR, span.spanId),
      detector: SILENT_ERROR_DETECTOR,
      failureClass,
      // a pipeline stage that failed took its output with it; any other failure may have been handled on purpose
      severity: call ? 'critical' : 'warning',
      summary: `${describeSpan(span, call)} failed (${error}) but ${describeSpan(parent, analysis.callOf(parent))} reported ${parent.status.code === 'ok' ? 'ok' : 'no error'} and the request succeeded`,
      spanIds: [span.spanId, parent.spanId],
      evidence,
    })
  }
  return findings
}

function classify(span: TraceSpan, call: ModelCall | null, config: TraceConfig): { failureClass: string; error: string } {
  const texts = errorText(span)
  const status = span.attributes['http.response.status_code']
  const httpStatus = typeof status === 'number' || typeof status === 'string' ? Number(status) : NaN
  const error = texts[0] ?? (Number.isFinite(httpStatus) ? `HTTP ${httpStatus}` : 'status error')
  if (timeoutOf(span, call, config)) return { failureClass: 'timeout-partial-results', error }
  if (texts.some((t) => matchesAny(t, config.detectors.versions.parseErrorPatterns))) return { failureClass: 'api-contract-version-skew', error }
  if (httpStatus === 429) return { failureClass: 'throttling-capacity', error }
  if (httpStatus === 401) return { failureClass: 'auth-failures', error }
  return { failureClass: 'cascading-context-corruption', error }
}
