import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { ragChatTrace, TraceBuilder } from '@/lib/traces/detectors/test-trace'
import { detectTokenBudgetExhaustion } from '@/lib/traces/detectors/token-budget'
import type { Trace } from '@/lib/traces/model'
import { compareSignatures, operationName, similarCases, suggestedCategory, traceSignature, type CaseCandidate } from './similarity'

/** The rag-chat scenario with the generator stopped by max_tokens, as another request (its own trace id). */
function tokenBudgetTrace(traceId: string, question = 'How do I rotate the API key of a service account without downtime?'): Trace {
  const builder = ragChatTrace()
    .update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.usage.output_tokens': 1024, 'gen_ai.input.messages': question } })
    .update('retriever', { name: `retrieval kb-chunks shard-${traceId.slice(0, 2)}` })
  const trace = builder.build()
  return { ...trace, traceId, spans: trace.spans.map((s) => ({ ...s, traceId })) }
}

/** A different pipeline: a summarizer with its own services and model, failing on a timeout. */
function summarizerTrace(): Trace {
  return new TraceBuilder('5d1e0c3b9a8f47e6b2c4d6e8f0a1b3c5')
    .add('root', { name: 'POST /v1/summarize', service: 'summarizer-api', kind: 'server', startMs: 0, durationMs: 61_000, attributes: { pipeline: 'doc-summarizer' } })
    .add('chunker', { name: 'split document', parent: 'root', service: 'chunker', startMs: 5, durationMs: 40, attributes: { 'pipeline.stage': 'preprocess' } })
    .add('generator', {
      name: 'chat mistral-7b-instruct',
      parent: 'root',
      service: 'summarizer-llm',
      kind: 'client',
      startMs: 50,
      durationMs: 60_000,
      status: { code: 'error', message: 'upstream request timed out' },
      attributes: { 'pipeline.stage': 'summarizer', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'mistral-7b-instruct' },
    })
    .build()
}

function candidate(number: number, category: string, trace: Trace): CaseCandidate {
  return { id: `case-${number}`, number, title: `case ${number}`, category, traceId: trace.traceId, trace, findings: detectTokenBudgetExhaustion(trace, DEFAULT_TRACE_CONFIG) }
}

describe('similar cases ("seen before")', () => {
  const target = tokenBudgetTrace('aa000000000000000000000000000001', 'What is the refund policy for annual plans?')
  const targetInput = { trace: target, findings: detectTokenBudgetExhaustion(target, DEFAULT_TRACE_CONFIG) }

  it('reads the signature a debugger would: stages, models, services, operations and the detectors that fired', () => {
    const signature = traceSignature(targetInput)
    expect([...signature.stages].sort()).toEqual(['embedder', 'generator', 'judge', 'post-processing', 'retriever', 'router'])
    expect([...signature.models].sort()).toEqual(['bge-large-en-v1.5', 'intent-classifier', 'llama-3.1-70b-instruct', 'qwen2.5-7b-instruct'])
    expect([...signature.detectors]).toEqual(['token-budget'])
    expect(signature.services.has('llm-gateway')).toBe(true)
    expect(signature.spanNames.has('retrieval kb-chunks shard-aa')).toBe(true)
  })

  it('ranks the same failure in the same pipeline first, a healthy run of the pipeline after it, and leaves out an unrelated pipeline', () => {
    const sameFailure = candidate(3, 'token-budget-exhaustion', tokenBudgetTrace('bb000000000000000000000000000002'))
    const healthy = candidate(4, 'latency-saturation', ragChatTrace().build())
    const unrelated = candidate(5, 'timeout-partial-results', summarizerTrace())
    const { overall } = similarCases(targetInput, [unrelated, healthy, sameFailure])
    expect(overall.map((m) => m.number)).toEqual([3, 4])
    expect(overall[0].score).toBeGreaterThan(0.9)
    expect(overall[0].shared.detectors).toEqual(['token-budget'])
    expect(overall[0].shared.models).toContain('llama-3.1-70b-instruct')
    // the healthy run shares everything but the detector, which weighs most
    expect(overall[1].score).toBeLessThan(0.7)
    expect(overall[1].shared.detectors).toEqual([])
  })

  it('lists matches of the given category separately, newest first on equal scores, without the case itself', () => {
    const older = candidate(7, 'token-budget-exhaustion', tokenBudgetTrace('cc000000000000000000000000000003'))
    const newer = candidate(9, 'token-budget-exhaustion', tokenBudgetTrace('dd000000000000000000000000000004'))
    const other = candidate(8, 'output-quality-degradation', tokenBudgetTrace('ee000000000000000000000000000005'))
    const self = { ...candidate(10, 'token-budget-exhaustion', target), id: 'me' }
    const result = similarCases(targetInput, [older, other, newer, self], { category: 'token-budget-exhaustion', excludeCaseId: 'me' })
    expect(result.inCategory.map((m) => m.number)).toEqual([9, 7])
    expect(result.overall.map((m) => m.number)).toEqual([9, 8, 7])
    expect(similarCases(targetInput, [older]).inCategory).toEqual([])
  })

  it('says when a case was pinned from this very trace', () => {
    const pinned = candidate(11, 'token-budget-exhaustion', target)
    expect(similarCases(targetInput, [pinned]).overall[0]).toMatchObject({ number: 11, score: 1, isSameTrace: true })
  })

  it('compares only the features either side has: two traces with no model calls are judged on services and operations', () => {
    const a = traceSignature({ trace: summarizerTrace() })
    const bare = { detectors: new Set<string>(), stages: new Set<string>(), models: new Set<string>(), services: new Set(a.services), spanNames: new Set(a.spanNames) }
    const onlyServices = { ...bare, stages: new Set<string>(), models: new Set<string>() }
    expect(compareSignatures(bare, onlyServices).score).toBe(1)
    expect(compareSignatures(bare, { ...bare, services: new Set(['elsewhere']), spanNames: new Set(['x']) }).score).toBe(0)
  })

  it('treats span names that differ only by ids and numbers as one operation', () => {
    expect(operationName('GET /v1/docs/8812')).toBe(operationName('GET /v1/docs/77'))
    expect(operationName('fetch 3f2a9c1e5b2d4f60a8c1e3b5d7f9a2c4')).toBe('fetch {id}')
    expect(operationName('lookup 123e4567-e89b-12d3-a456-426614174000')).toBe('lookup {id}')
  })

  it('suggests the class most findings point to', () => {
    expect(suggestedCategory(targetInput.findings)).toBe('token-budget-exhaustion')
    expect(suggestedCategory([])).toBeUndefined()
  })
})
