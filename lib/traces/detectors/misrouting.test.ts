import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from '../config'
import { detectMisrouting } from './misrouting'
import { ragChatTrace } from './test-trace'

const rules = traceConfigSchema.parse({ detectors: { routing: { rules: { code: ['codegen-*'], general: ['general-llm'] } } } })
const codeRequest = () => ragChatTrace().update('router', { attributes: { 'routing.request_class': 'code', 'routing.signals.intent': 'code', 'routing.signals.intent_score': 0.48 } })

describe('misrouting', () => {
  it('flags a route the rules do not allow for the request class, with the signals behind it', () => {
    const builder = codeRequest()
    expect(detectMisrouting(builder.build(), rules)).toEqual([
      {
        id: `misrouting:${builder.spanId('router')}`,
        detector: 'misrouting',
        failureClass: 'misrouting',
        severity: 'critical',
        summary: 'router span "route request" routed a "code" request to general-llm; the routing rules allow codegen-* for that class',
        spanIds: [builder.spanId('router')],
        evidence: { requestClass: 'code', route: 'general-llm', allowedRoutes: 'codegen-*', 'signal.intent': 'code', 'signal.intent_score': 0.48 },
      },
    ])
  })

  it('reads the request class from the routing signals or from an ancestor span', () => {
    const fromSignals = ragChatTrace().update('router', { attributes: { 'routing.request_class': undefined, 'routing.signals': { request_class: 'code' } } })
    expect(detectMisrouting(fromSignals.build(), rules)).toHaveLength(1)
    const fromRoot = ragChatTrace().update('router', { attributes: { 'routing.request_class': undefined } }).update('root', { attributes: { 'routing.request_class': 'Code' } })
    expect(detectMisrouting(fromRoot.build(), rules)[0].evidence.requestClass).toBe('Code')
  })

  it('checks a router that is no model call', () => {
    const builder = ragChatTrace()
      .remove('router')
      .add('gateway-route', { name: 'select backend', parent: 'root', service: 'llm-gateway', startMs: 5, durationMs: 2, attributes: { 'routing.request_class': 'code', 'routing.decision': 'general-llm' } })
    expect(detectMisrouting(builder.build(), rules)[0].summary).toBe(
      'llm-gateway span "select backend" routed a "code" request to general-llm; the routing rules allow codegen-* for that class',
    )
  })

  it('stays quiet for an allowed route, a class without a rule, no class, or no rules at all', () => {
    expect(detectMisrouting(ragChatTrace().build(), rules)).toEqual([])
    expect(detectMisrouting(codeRequest().update('router', { attributes: { 'routing.decision': 'codegen-qwen-32b' } }).build(), rules)).toEqual([])
    expect(detectMisrouting(ragChatTrace().update('router', { attributes: { 'routing.request_class': 'billing' } }).build(), rules)).toEqual([])
    expect(detectMisrouting(ragChatTrace().update('router', { attributes: { 'routing.request_class': undefined } }).build(), rules)).toEqual([])
    expect(detectMisrouting(codeRequest().build(), DEFAULT_TRACE_CONFIG)).toEqual([])
  })
})
