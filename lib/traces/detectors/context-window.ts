/**
 * Context-window overflow (seed 003): a prompt at or near the model's context window was cut to fit, or left the answer
 * no room. The model answers confidently about what it saw; nobody is told the rest was dropped.
 */
import type { Finding, Trace } from '../model'
import type { TraceConfig } from '../config'
import { contextWindowOf, mappedFlag } from '../genai'
import { analyze, describeSpan, findingId, type TraceAnalysis } from './tree'

export const CONTEXT_WINDOW_DETECTOR = 'context-window'

export function detectContextWindowOverflow(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  const threshold = config.detectors.contextWindow.share
  const lengthReasons = config.detectors.tokenBudget.finishReasons.map((r) => r.toLowerCase())
  const findings: Finding[] = []
  for (const span of trace.spans) {
    const call = analysis.callOf(span)
    if (!call) continue
    const window = contextWindowOf(call, config)
    const input = call.inputTokens
    const output = call.outputTokens
    const truncatedFlag = mappedFlag(span, config, 'promptTruncated')
    const lengthReason = call.finishReasons?.find((r) => lengthReasons.includes(r.toLowerCase()))
    const what = describeSpan(span, call)
    const theWindow = call.model ? `${call.model}'s context window` : 'the context window'

    let summary: string | undefined
    let severity: Finding['severity'] = 'critical'
    if (window !== undefined && input !== undefined) {
      const pct = percent(input / window)
      if (input >= window) summary = `${what} sent a prompt of ${input} tokens, at or over ${theWindow} of ${window} tokens (${pct})`
      else if (lengthReason && output !== undefined && input + output >= window)
        summary = `${what} ran out of context: prompt ${input} + output ${output} tokens reached ${theWindow} of ${window} tokens (finish_reason=${lengthReason})`
      else if (input >= threshold * window) {
        summary = `${what} sent a prompt of ${input} tokens, ${pct} of ${theWindow} of ${window} tokens (threshold ${percent(threshold)})`
        severity = truncatedFlag ? 'critical' : 'warning'
      }
    }
    if (!summary && truncatedFlag) summary = `${what} had its prompt truncated to fit ${theWindow} (the span says so)`
    if (!summary) continue

    const evidence: Finding['evidence'] = { threshold }
    if (input !== undefined) evidence.inputTokens = input
    if (output !== undefined) evidence.outputTokens = output
    if (window !== undefined) evidence.contextWindow = window
    if (window !== undefined && input !== undefined) evidence.share = Math.round((input / window) * 1000) / 1000
    if (lengthReason) evidence.finishReason = lengthReason
    if (truncatedFlag) evidence.promptTruncated = true
    if (call.model !== undefined) evidence.model = call.model
    findings.push({
      id: findingId(CONTEXT_WINDOW_DETECTOR, span.spanId),
      detector: CONTEXT_WINDOW_DETECTOR,
      failureClass: 'context-window-overflow',
      severity,
      summary,
      spanIds: [span.spanId],
      evidence,
    })
  }
  return findings
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))} %`
}
