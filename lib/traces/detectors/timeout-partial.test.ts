import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from '../config'
import { detectTimeoutPartialResults } from './timeout-partial'
import { ragChatTrace } from './test-trace'

const config = DEFAULT_TRACE_CONFIG
const deadline = { code: 'error' as const, message: 'context deadline exceeded' }

describe('timeout-induced partial results', () => {
  it('flags a stage that timed out while later stages ran on its output and the request succeeded', () => {
    const builder = ragChatTrace().update('retriever', { status: deadline })
    expect(detectTimeoutPartialResults(builder.build(), config)).toEqual([
      {
        id: `timeout-partial-results:${builder.spanId('retriever')}`,
        detector: 'timeout-partial-results',
        failureClass: 'timeout-partial-results',
        severity: 'critical',
        summary:
          'retriever span "retrieval kb-chunks" timed out after 65 ms (status "context deadline exceeded"), yet generator span "chat llama-3.1-70b-instruct" (and 2 later stages) ran on its output and the request succeeded',
        spanIds: ['retriever', 'generator', 'judge', 'postprocess'].map((k) => builder.spanId(k)),
        evidence: { reason: 'status "context deadline exceeded"', durationMs: 65, consumedBy: 'chat llama-3.1-70b-instruct', laterStages: 3 },
      },
    ])
  })

  it("flags a generator's HTTP call cut by the gateway (504, error.type) whose partial answer the judge scored", () => {
    const builder = ragChatTrace().update('generator-http', { status: { code: 'error' }, attributes: { 'http.response.status_code': 504, 'error.type': '504' } })
    const [finding] = detectTimeoutPartialResults(builder.build(), config)
    expect(finding.spanIds).toEqual(['generator-http', 'judge', 'postprocess'].map((k) => builder.spanId(k)))
    expect(finding.summary).toBe(
      'answer-svc span "POST /v1/chat/completions" timed out after 3.19 s (HTTP 504), yet judge span "chat qwen2.5-7b-instruct" (and 1 later stage) ran on its output and the request succeeded',
    )
    const typed = ragChatTrace().update('generator-http', { status: { code: 'error' }, attributes: { 'error.type': 'httpx.ReadTimeout' } })
    expect(detectTimeoutPartialResults(typed.build(), config)[0].evidence.reason).toBe('error.type=httpx.ReadTimeout')
  })

  it('flags a timeout the client library recorded as an exception event and swallowed', () => {
    const builder = ragChatTrace().update('generator', {
      attributes: { 'gen_ai.response.finish_reasons': undefined },
      events: [{ name: 'exception', atMs: 3400, attributes: { 'exception.type': 'openai.APITimeoutError', 'exception.message': 'Request timed out.' } }],
    })
    const [finding] = detectTimeoutPartialResults(builder.build(), config)
    expect(finding.spanIds[0]).toBe(builder.spanId('generator'))
    expect(finding.evidence.reason).toBe('exception openai.APITimeoutError: Request timed out.')
  })

  it("flags vLLM's abort finish reason", () => {
    const builder = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['abort'] } })
    expect(detectTimeoutPartialResults(builder.build(), config)[0].evidence.reason).toBe('finish_reason=abort')
  })

  it("flags a stage that ran to its configured timeout without finishing, naming the duration and the timeout", () => {
    const budget = traceConfigSchema.parse({ detectors: { timeout: { stageTimeoutsMs: { generator: 3000 } } } })
    const builder = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': undefined } })
    const [finding] = detectTimeoutPartialResults(builder.build(), budget)
    expect(finding.summary).toBe(
      'generator span "chat llama-3.1-70b-instruct" timed out after 3.2 s (at or over its timeout of 3 s), yet judge span "chat qwen2.5-7b-instruct" (and 1 later stage) ran on its output and the request succeeded',
    )
    expect(finding.evidence).toMatchObject({ timeoutMs: 3000, durationMs: 3200 })
    // the default 60 s is far away
    expect(detectTimeoutPartialResults(builder.build(), config)).toEqual([])
  })

  it('leaves a slow stage that finished on its own alone', () => {
    const budget = traceConfigSchema.parse({ detectors: { timeout: { stageTimeoutsMs: { generator: 3000 } } } })
    expect(detectTimeoutPartialResults(ragChatTrace().build(), budget)).toEqual([])
  })

  it('stays quiet when the request failed, the call was retried, nothing ran after it, or the consumer rejected it', () => {
    expect(detectTimeoutPartialResults(ragChatTrace().build(), config)).toEqual([])
    const failed = ragChatTrace().update('retriever', { status: deadline }).update('root', { status: { code: 'error', message: 'retrieval failed' } })
    expect(detectTimeoutPartialResults(failed.build(), config)).toEqual([])
    const retried = ragChatTrace()
      .update('retriever', { durationMs: 30, status: deadline })
      .add('retriever-retry', { name: 'retrieval kb-chunks', parent: 'root', service: 'retrieval-svc', startMs: 150, durationMs: 40, attributes: { 'pipeline.stage': 'retriever', 'gen_ai.operation.name': 'retrieval' } })
    expect(detectTimeoutPartialResults(retried.build(), config)).toEqual([])
    const last = ragChatTrace().remove('postprocess').update('judge', { status: deadline })
    expect(detectTimeoutPartialResults(last.build(), config)).toEqual([])
    const rejected = ragChatTrace()
      .remove('postprocess')
      .update('generator-http', { status: deadline })
      .update('judge', { status: { code: 'error', message: 'answer incomplete' } })
    expect(detectTimeoutPartialResults(rejected.build(), config)).toEqual([])
  })

  it('reports the outermost timed-out span once, not each layer of it', () => {
    const builder = ragChatTrace()
      .update('generator', { status: deadline, attributes: { 'gen_ai.response.finish_reasons': undefined } })
      .update('generator-http', { status: deadline })
    expect(detectTimeoutPartialResults(builder.build(), config).map((f) => f.spanIds[0])).toEqual([builder.spanId('generator')])
  })
})
