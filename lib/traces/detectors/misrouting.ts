/**
 * Misrouting (seeds 000 and 004): the router's decision does not fit the class of the request, by the team's rules
 * (`detectors.routing.rules`: request class -> allowed routes). Seed 000: one of the most common multi-model failures
 * and one of the hardest to see unless the decision and its signals are on the span.
 */
import type { AttributeValue, Finding, Trace } from '../model'
import { keyMatcher, type TraceConfig } from '../config'
import { mappedString } from '../genai'
import { analyze, describeSpan, findingId, type TraceAnalysis } from './tree'

export const MISROUTING_DETECTOR = 'misrouting'

export function detectMisrouting(trace: Trace, config: TraceConfig, analysis: TraceAnalysis = analyze(trace, config)): Finding[] {
  const rules = config.detectors.routing.rules
  if (Object.keys(rules).length === 0) return []
  const findings: Finding[] = []
  for (const span of trace.spans) {
    // a router need not be a model call, so the decision is read from any span
    const route = mappedString(span, config, 'routingDecision')
    if (route === undefined) continue
    const call = analysis.callOf(span)
    const signals = call?.routingSignals ?? {}
    const requestClass =
      mappedString(span, config, 'requestClass') ??
      text(signals.request_class) ??
      analysis.ancestorsOf(span).map((a) => mappedString(a, config, 'requestClass')).find((c) => c !== undefined)
    if (requestClass === undefined) continue
    const ruleKey = Object.keys(rules).find((k) => k.toLowerCase() === requestClass.toLowerCase())
    if (ruleKey === undefined) continue
    const allowed = rules[ruleKey]
    if (keyMatcher(allowed)(route)) continue

    const evidence: Finding['evidence'] = { requestClass, route, allowedRoutes: allowed.join(', ') }
    for (const [key, value] of Object.entries(signals)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') evidence[`signal.${key}`] = value
    }
    findings.push({
      id: findingId(MISROUTING_DETECTOR, span.spanId),
      detector: MISROUTING_DETECTOR,
      failureClass: 'misrouting',
      severity: 'critical',
      summary: `${describeSpan(span, call)} routed a "${requestClass}" request to ${route}; the routing rules allow ${allowed.join(' or ')} for that class`,
      spanIds: [span.spanId],
      evidence,
    })
  }
  return findings
}

function text(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
