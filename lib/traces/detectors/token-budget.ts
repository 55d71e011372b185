/**
 * Token-budget exhaustion (seed 003): the generator was stopped by the output cap, not by its own end of sequence. The
 * response looks finished and is not; the only trace of it is the finish reason.
 */
import type { Finding, Trace } from '../model'
import type { TraceConfig } from '../config'
import { contextWindowOf, modelCallOf } from '../genai'
import { analyze, describeSpan, findingId, type TraceAnalysis } from './tree'

export const TOKEN_BUDGET_DETECTOR = 'token-budget'

export function detectTokenBudgetExhaustion(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  const lengthReasons = config.detectors.tokenBudget.finishReasons.map((r) => r.toLowerCase())
  const findings: Finding[] = []
  for (const span of trace.spans) {
    const call = analysis.callOf(span)
    if (!call) continue
    const lengthReason = call.finishReasons?.find((r) => lengthReasons.includes(r.toLowerCase()))
    const usedWholeBudget = call.maxTokens !== undefined && call.outputTokens !== undefined && call.outputTokens >= call.maxTokens
    // Without a finish reason, an output that filled max_tokens exactly is the cap talking.
    if (!lengthReason && !(usedWholeBudget && !call.finishReasons?.length)) continue
    // The context ran out, not the budget: prompt + output filled the window (context-window detector).
    const window = contextWindowOf(call, config)
    if (window !== undefined && call.inputTokens !== undefined && call.outputTokens !== undefined && call.inputTokens + call.outputTokens >= window) continue

    const numbers = [`output_tokens=${call.outputTokens ?? 'not recorded'}`, `max_tokens=${call.maxTokens ?? 'not recorded'}`].join(', ')
    const summary = lengthReason
      ? `${describeSpan(span, call)} stopped by max_tokens (finish_reason=${lengthReason}, ${numbers})`
      : `${describeSpan(span, call)} used its whole output budget without a finish reason (${numbers})`
    const evidence: Finding['evidence'] = { finishReason: lengthReason ?? 'none recorded' }
    if (call.outputTokens !== undefined) evidence.outputTokens = call.outputTokens
    if (call.maxTokens !== undefined) evidence.maxTokens = call.maxTokens
    if (call.model !== undefined) evidence.model = call.model
    findings.push({
      id: findingId(TOKEN_BUDGET_DETECTOR, span.spanId),
      detector: TOKEN_BUDGET_DETECTOR,
      failureClass: 'token-budget-exhaustion',
      severity: 'warning',
      summary,
      spanIds: [span.spanId],
      evidence,
    })
  }
  return findings
}

export interface LengthTerminatedShare {
  /** model calls that reported a finish reason */
  finished: number
  lengthTerminated: number
  /** 0 when nothing finished */
  share: number
  threshold: number
  exceeded: boolean
}

/**
 * Over many traces (a search result, a case list): the share of finished model calls stopped by the cap. Above
 * `lengthTerminatedShare` (seed 003: 5 %) max_tokens is too low for the real use, or callers must handle the cut.
 */
export function lengthTerminatedShare(traces: Trace[], config: TraceConfig): LengthTerminatedShare {
  const lengthReasons = config.detectors.tokenBudget.finishReasons.map((r) => r.toLowerCase())
  let finished = 0
  let lengthTerminated = 0
  for (const trace of traces) {
    for (const span of trace.spans) {
      const reasons = modelCallOf(span, config)?.finishReasons
      if (!reasons?.length) continue
      finished++
      if (reasons.some((r) => lengthReasons.includes(r.toLowerCase()))) lengthTerminated++
    }
  }
  const share = finished ? lengthTerminated / finished : 0
  const threshold = config.detectors.tokenBudget.lengthTerminatedShare
  return { finished, lengthTerminated, share, threshold, exceeded: share > threshold }
}
