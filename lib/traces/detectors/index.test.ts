import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findFailureClass } from '@/lib/taxonomy'
import { traceConfigSchema } from '../config'
import { detectFindings } from '.'
import type { TraceSpan } from '../model'
import { ragChatTrace, TEST_TRACE_ID } from './test-trace'

const config = traceConfigSchema.parse({
  detectors: {
    routing: { rules: { code: ['codegen-*'] } },
    versions: { expected: { models: { 'qwen2.5-7b-instruct': 'rev-a09e113' } } },
  },
})

/** A bad night for rag-chat: a code question sent to the general LLM, whose answer hit max_tokens, judged by a new judge. */
function badNight() {
  return ragChatTrace()
    .update('router', { attributes: { 'routing.request_class': 'code' } })
    .update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.usage.output_tokens': 1024 } })
    .update('judge', { attributes: { 'model.version': 'rev-b7730d1' } })
    .update('generator-http', { status: { code: 'error', message: 'stream reset by peer' } })
}

describe('all detectors over one trace', () => {
  it('finds nothing in a healthy pipeline trace', () => {
    expect(detectFindings(ragChatTrace().build(), config)).toEqual([])
  })

  it('runs every detector and orders the findings critical first, then by when their span started', () => {
    const builder = badNight()
    const findings = detectFindings(builder.build(), config)
    expect(findings.map((f) => [f.detector, f.severity, f.spanIds[0]])).toEqual([
      ['misrouting', 'critical', builder.spanId('router')],
      ['token-budget', 'warning', builder.spanId('generator')],
      ['silent-error', 'warning', builder.spanId('generator-http')],
      ['model-version', 'warning', builder.spanId('judge')],
    ])
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length)
  })

  it('points every finding at a failure class of the taxonomy with a shipped runbook', () => {
    for (const finding of detectFindings(badNight().build(), config)) {
      expect(findFailureClass(finding.failureClass), finding.failureClass).toBeDefined()
      expect(fs.existsSync(path.resolve(import.meta.dirname, '../../../runbooks', `${finding.failureClass}.md`)), finding.failureClass).toBe(true)
    }
  })

  it('is deterministic: the same trace gives the same findings', () => {
    expect(detectFindings(badNight().build(), config)).toEqual(detectFindings(badNight().build(), config))
  })

  it('stays fast on a 100,000-span trace, wide or one deep chain, and survives a parent cycle', () => {
    for (const deep of [false, true]) {
      const spans: TraceSpan[] = Array.from({ length: 100_000 }, (_, i) => ({
        traceId: TEST_TRACE_ID,
        spanId: (i + 1).toString(16).padStart(16, '0'),
        parentSpanId: i === 0 ? null : (deep ? i : Math.floor((i + 1) / 2)).toString(16).padStart(16, '0'),
        name: i % 2 ? 'chat llama-3.1-8b-instruct' : 'retrieval kb-chunks',
        service: 'agent',
        kind: 'client',
        startUs: 1_795_000_000_000_000 + i * 10,
        durationUs: 5,
        status: i % 1000 === 7 ? { code: 'error', message: i % 2000 === 7 ? 'deadline exceeded' : 'connection reset' } : { code: 'unset' },
        attributes: {
          'gen_ai.operation.name': i % 2 ? 'chat' : 'retrieval',
          'gen_ai.request.model': 'llama-3.1-8b-instruct',
          'model.version': i % 3 ? 'rev-a' : 'rev-b',
          'gen_ai.response.finish_reasons': [i % 500 === 3 ? 'length' : 'stop'],
        },
        resource: {},
        events: [],
        links: [],
      }))
      const started = performance.now()
      const findings = detectFindings({ traceId: TEST_TRACE_ID, spans, source: 'test scenario' }, config)
      expect(performance.now() - started).toBeLessThan(8000)
      // nested timeouts count once (the outermost); in the chain everything after the first timeout is inside it
      expect(findings.filter((f) => f.detector === 'timeout-partial-results').length).toBe(deep ? 0 : 43)
      expect(Math.max(...findings.map((f) => f.spanIds.length))).toBeLessThanOrEqual(6)
    }
    const cycle = ragChatTrace().build()
    cycle.spans[0].parentSpanId = cycle.spans[1].spanId
    cycle.spans[1].status = { code: 'error', message: 'boom' }
    expect(() => detectFindings(cycle, config)).not.toThrow()
  }, 30_000)
})
