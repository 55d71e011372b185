import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from '../config'
import { detectTokenBudgetExhaustion, lengthTerminatedShare } from './token-budget'
import { ragChatTrace } from './test-trace'

const config = DEFAULT_TRACE_CONFIG

describe('token-budget exhaustion', () => {
  it('flags a generator stopped by max_tokens, with the finish reason and the budget', () => {
    const builder = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.usage.output_tokens': 1024 } })
    expect(detectTokenBudgetExhaustion(builder.build(), config)).toEqual([
      {
        id: `token-budget:${builder.spanId('generator')}`,
        detector: 'token-budget',
        failureClass: 'token-budget-exhaustion',
        severity: 'warning',
        summary: 'generator span "chat llama-3.1-70b-instruct" stopped by max_tokens (finish_reason=length, output_tokens=1024, max_tokens=1024)',
        spanIds: [builder.spanId('generator')],
        evidence: { finishReason: 'length', outputTokens: 1024, maxTokens: 1024, model: 'llama-3.1-70b-instruct' },
      },
    ])
  })

  it("knows Anthropic's max_tokens stop reason and a judge's tiny budget", () => {
    const builder = ragChatTrace().update('judge', { attributes: { 'gen_ai.response.finish_reasons': ['max_tokens'], 'gen_ai.usage.output_tokens': 16 } })
    const [finding] = detectTokenBudgetExhaustion(builder.build(), config)
    expect(finding.spanIds).toEqual([builder.spanId('judge')])
    expect(finding.summary).toBe('judge span "chat qwen2.5-7b-instruct" stopped by max_tokens (finish_reason=max_tokens, output_tokens=16, max_tokens=16)')
  })

  it('flags an output that filled max_tokens exactly when no finish reason was recorded', () => {
    const builder = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': undefined, 'gen_ai.usage.output_tokens': 1024 } })
    const [finding] = detectTokenBudgetExhaustion(builder.build(), config)
    expect(finding.summary).toBe('generator span "chat llama-3.1-70b-instruct" used its whole output budget without a finish reason (output_tokens=1024, max_tokens=1024)')
    expect(finding.evidence.finishReason).toBe('none recorded')
  })

  it('says when max_tokens was not recorded', () => {
    const builder = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.request.max_tokens': undefined } })
    expect(detectTokenBudgetExhaustion(builder.build(), config)[0].summary).toBe(
      'generator span "chat llama-3.1-70b-instruct" stopped by max_tokens (finish_reason=length, output_tokens=412, max_tokens=not recorded)',
    )
  })

  it('stays quiet for natural stops, an unfilled budget, and a length stop where the context ran out instead', () => {
    expect(detectTokenBudgetExhaustion(ragChatTrace().build(), config)).toEqual([])
    const stopAtCap = ragChatTrace().update('generator', { attributes: { 'gen_ai.usage.output_tokens': 1024 } })
    expect(detectTokenBudgetExhaustion(stopAtCap.build(), config)).toEqual([])
    const noReasonUnderCap = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': undefined } })
    expect(detectTokenBudgetExhaustion(noReasonUnderCap.build(), config)).toEqual([])
    // 7168 + 1024 = 8192: the context window ran out (context-window-overflow), not the output budget
    const contextFull = ragChatTrace().update('generator', {
      attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.usage.input_tokens': 7168, 'gen_ai.usage.output_tokens': 1024 },
    })
    expect(detectTokenBudgetExhaustion(contextFull.build(), config)).toEqual([])
  })

  it('uses the configured finish reasons', () => {
    const gemini = traceConfigSchema.parse({ detectors: { tokenBudget: { finishReasons: ['MAX_TOKENS'] } } })
    const length = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'] } })
    expect(detectTokenBudgetExhaustion(length.build(), gemini)).toEqual([])
    const maxTokens = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['max_tokens'] } })
    expect(detectTokenBudgetExhaustion(maxTokens.build(), gemini)).toHaveLength(1)
  })
})

describe('the length-terminated share over many traces', () => {
  const traces = (lengthStopped: number) =>
    Array.from({ length: 10 }, (_, i) =>
      ragChatTrace()
        .update('generator', { attributes: { 'gen_ai.response.finish_reasons': [i < lengthStopped ? 'length' : 'stop'] } })
        .build(),
    )

  it('counts finished model calls and compares the share with the 5 % of seed 003', () => {
    // 10 traces x 3 finished calls (router, generator, judge); the embedder reports no finish reason
    expect(lengthTerminatedShare(traces(1), config)).toEqual({ finished: 30, lengthTerminated: 1, share: 1 / 30, threshold: 0.05, exceeded: false })
    expect(lengthTerminatedShare(traces(2), config)).toMatchObject({ lengthTerminated: 2, exceeded: true })
    expect(lengthTerminatedShare([], config)).toMatchObject({ finished: 0, share: 0, exceeded: false })
  })
})
