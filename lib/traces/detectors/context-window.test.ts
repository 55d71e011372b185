import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from '../config'
import { detectContextWindowOverflow } from './context-window'
import { ragChatTrace } from './test-trace'

const config = DEFAULT_TRACE_CONFIG
const prompt = (tokens: number) => ragChatTrace().update('generator', { attributes: { 'gen_ai.usage.input_tokens': tokens } })

describe('context-window overflow', () => {
  it('warns about a prompt at 90 % of the window or more, naming the share and the threshold', () => {
    const builder = prompt(7400)
    expect(detectContextWindowOverflow(builder.build(), config)).toEqual([
      {
        id: `context-window:${builder.spanId('generator')}`,
        detector: 'context-window',
        failureClass: 'context-window-overflow',
        severity: 'warning',
        summary: `generator span "chat llama-3.1-70b-instruct" sent a prompt of 7400 tokens, 90.3 % of llama-3.1-70b-instruct's context window of 8192 tokens (threshold 90 %)`,
        spanIds: [builder.spanId('generator')],
        evidence: { threshold: 0.9, inputTokens: 7400, outputTokens: 412, contextWindow: 8192, share: 0.903, model: 'llama-3.1-70b-instruct' },
      },
    ])
  })

  it('is critical for a prompt at or over the window', () => {
    const [finding] = detectContextWindowOverflow(prompt(8192).build(), config)
    expect(finding.severity).toBe('critical')
    expect(finding.summary).toBe(`generator span "chat llama-3.1-70b-instruct" sent a prompt of 8192 tokens, at or over llama-3.1-70b-instruct's context window of 8192 tokens (100 %)`)
  })

  it('is critical when prompt and output together filled the window and the answer was cut', () => {
    const builder = ragChatTrace().update('generator', {
      attributes: { 'gen_ai.usage.input_tokens': 7000, 'gen_ai.usage.output_tokens': 1192, 'gen_ai.request.max_tokens': undefined, 'gen_ai.response.finish_reasons': ['length'] },
    })
    const [finding] = detectContextWindowOverflow(builder.build(), config)
    expect(finding).toMatchObject({ severity: 'critical', spanIds: [builder.spanId('generator')], evidence: { finishReason: 'length', inputTokens: 7000, contextWindow: 8192 } })
    expect(finding.summary).toBe(
      `generator span "chat llama-3.1-70b-instruct" ran out of context: prompt 7000 + output 1192 tokens reached llama-3.1-70b-instruct's context window of 8192 tokens (finish_reason=length)`,
    )
  })

  it('is critical when the application says it truncated the prompt, even without token counts', () => {
    const builder = ragChatTrace().update('generator', { attributes: { 'app.prompt.truncated': true, 'gen_ai.usage.input_tokens': undefined } })
    const [finding] = detectContextWindowOverflow(builder.build(), config)
    expect(finding).toMatchObject({ severity: 'critical', evidence: { promptTruncated: true, contextWindow: 8192 } })
    expect(finding.summary).toBe(`generator span "chat llama-3.1-70b-instruct" had its prompt truncated to fit llama-3.1-70b-instruct's context window (the span says so)`)
    expect(detectContextWindowOverflow(prompt(7400).update('generator', { attributes: { 'pipeline.prompt.truncated': 'true' } }).build(), config)[0].severity).toBe('critical')
  })

  it('stays quiet below the threshold and when no window is known', () => {
    expect(detectContextWindowOverflow(ragChatTrace().build(), config)).toEqual([])
    expect(detectContextWindowOverflow(prompt(7300).build(), config)).toEqual([]) // 89.1 %
    const unknownWindow = prompt(9000).update('generator', { attributes: { 'model.context_window': undefined } })
    expect(detectContextWindowOverflow(unknownWindow.build(), config)).toEqual([])
  })

  it('takes the threshold and context windows by model from the configuration', () => {
    const own = traceConfigSchema.parse({ detectors: { contextWindow: { share: 0.8 } }, modelContextWindows: { 'qwen2.5-7b-instruct': 1024 } })
    const builder = prompt(7300)
    // the judge's span carries no window of its own; 910 of 1024 tokens is 88.9 %
    expect(detectContextWindowOverflow(builder.build(), own).map((f) => [f.spanIds[0], f.evidence.share])).toEqual([
      [builder.spanId('generator'), 0.891],
      [builder.spanId('judge'), 0.889],
    ])
    const judge = detectContextWindowOverflow(ragChatTrace().build(), own)
    expect(judge).toHaveLength(1)
    expect(judge[0].summary).toBe(`judge span "chat qwen2.5-7b-instruct" sent a prompt of 910 tokens, 88.9 % of qwen2.5-7b-instruct's context window of 1024 tokens (threshold 80 %)`)
  })
})
