/**
 * Trace-level failure signatures: every detector over one trace, critical first, then by when their span started. Each
 * finding names a failure class of lib/taxonomy, whose runbook is /runbooks/<failureClass>. Rules and thresholds: see
 * README.md here; the thresholds come from `traces.detectors` in the configuration.
 */
import type { Finding, Trace } from '../model'
import type { TraceConfig } from '../config'
import { CONTEXT_WINDOW_DETECTOR, detectContextWindowOverflow } from './context-window'
import { detectMisrouting, MISROUTING_DETECTOR } from './misrouting'
import { detectModelVersionSkew, MODEL_VERSION_DETECTOR } from './model-version'
import { detectSilentErrors, SILENT_ERROR_DETECTOR } from './silent-error'
import { detectTimeoutPartialResults, TIMEOUT_DETECTOR } from './timeout-partial'
import { detectTokenBudgetExhaustion, TOKEN_BUDGET_DETECTOR } from './token-budget'
import { analyze, type TraceAnalysis } from './tree'

export { lengthTerminatedShare, type LengthTerminatedShare } from './token-budget'

export const DETECTORS: { id: string; detect: (trace: Trace, config: TraceConfig, analysis: TraceAnalysis) => Finding[] }[] = [
  { id: TOKEN_BUDGET_DETECTOR, detect: detectTokenBudgetExhaustion },
  { id: CONTEXT_WINDOW_DETECTOR, detect: detectContextWindowOverflow },
  { id: TIMEOUT_DETECTOR, detect: detectTimeoutPartialResults },
  { id: MODEL_VERSION_DETECTOR, detect: detectModelVersionSkew },
  { id: MISROUTING_DETECTOR, detect: detectMisrouting },
  { id: SILENT_ERROR_DETECTOR, detect: detectSilentErrors },
]

export function detectFindings(trace: Trace, config: TraceConfig): Finding[] {
  const startOf = new Map(trace.spans.map((s) => [s.spanId, s.startUs]))
  const analysis = analyze(trace, config)
  const byId = new Map<string, Finding>()
  for (const { detect } of DETECTORS) for (const finding of detect(trace, config, analysis)) if (!byId.has(finding.id)) byId.set(finding.id, finding)
  const rank = (f: Finding) => (f.severity === 'critical' ? 0 : 1)
  return [...byId.values()].sort(
    (a, b) => rank(a) - rank(b) || (startOf.get(a.spanIds[0]) ?? 0) - (startOf.get(b.spanIds[0]) ?? 0) || a.id.localeCompare(b.id),
  )
}
