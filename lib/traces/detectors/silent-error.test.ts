import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG } from '../config'
import { detectSilentErrors } from './silent-error'
import { detectFindings } from '.'
import { ragChatTrace } from './test-trace'

const config = DEFAULT_TRACE_CONFIG
const httpError = (code: number, message?: string) => ({ status: { code: 'error' as const, message }, attributes: { 'http.response.status_code': code } })

describe('errors that went nowhere', () => {
  it("flags a failed call under a stage that reported success, as the generator's context went bad unseen", () => {
    const builder = ragChatTrace().update('generator-http', httpError(500))
    expect(detectSilentErrors(builder.build(), config)).toEqual([
      {
        id: `silent-error:${builder.spanId('generator-http')}`,
        detector: 'silent-error',
        failureClass: 'cascading-context-corruption',
        severity: 'warning',
        summary: 'answer-svc span "POST /v1/chat/completions" failed (HTTP 500) but generator span "chat llama-3.1-70b-instruct" reported no error and the request succeeded',
        spanIds: [builder.spanId('generator-http'), builder.spanId('generator')],
        evidence: { error: 'HTTP 500', swallowedBy: 'chat llama-3.1-70b-instruct', swallowedByStatus: 'unset', httpStatus: 500 },
      },
    ])
  })

  it('is critical when a pipeline stage itself failed and the pipeline went on without it', () => {
    const builder = ragChatTrace().update('retriever', { status: { code: 'error', message: 'vector store unavailable' } }).update('root', { status: { code: 'ok' } })
    const [finding] = detectSilentErrors(builder.build(), config)
    expect(finding).toMatchObject({ severity: 'critical', failureClass: 'cascading-context-corruption', spanIds: [builder.spanId('retriever'), builder.spanId('root')] })
    expect(finding.summary).toBe('retriever span "retrieval kb-chunks" failed (vector store unavailable) but llm-gateway span "POST /v1/chat" reported ok and the request succeeded')
  })

  it('takes the class the error names: parse errors, throttling, auth, an unconsumed timeout', () => {
    const classOf = (builder: ReturnType<typeof ragChatTrace>) => detectSilentErrors(builder.build(), config).map((f) => f.failureClass)
    expect(classOf(ragChatTrace().update('judge', { status: { code: 'error', message: 'JSONDecodeError: Expecting value: line 1 column 1' } }))).toEqual(['api-contract-version-skew'])
    expect(classOf(ragChatTrace().update('generator-http', httpError(429, 'Too Many Requests')))).toEqual(['throttling-capacity'])
    expect(classOf(ragChatTrace().update('generator-http', httpError(401)))).toEqual(['auth-failures'])
    // the judge timed out last: nothing consumed a partial result, but the answer went out unjudged
    expect(classOf(ragChatTrace().remove('postprocess').update('judge', { status: { code: 'error', message: 'deadline exceeded' } }))).toEqual(['timeout-partial-results'])
  })

  it('leaves a timeout the timeout detector reports to it', () => {
    const builder = ragChatTrace().update('retriever', { status: { code: 'error', message: 'deadline exceeded' } })
    expect(detectSilentErrors(builder.build(), config)).toEqual([])
    expect(detectFindings(builder.build(), config).map((f) => f.detector)).toEqual(['timeout-partial-results'])
  })

  it('reports the topmost of nested errors once', () => {
    const builder = ragChatTrace()
      .update('generator', { status: { code: 'error', message: 'upstream failed' } })
      .update('generator-http', httpError(500))
    expect(detectSilentErrors(builder.build(), config).map((f) => f.spanIds[0])).toEqual([builder.spanId('generator')])
  })

  it('stays quiet when the request failed, the error reached the root, or the call was retried', () => {
    expect(detectSilentErrors(ragChatTrace().build(), config)).toEqual([])
    const failed = ragChatTrace().update('generator-http', httpError(500)).update('root', { status: { code: 'error' }, attributes: { 'http.response.status_code': 502 } })
    expect(detectSilentErrors(failed.build(), config)).toEqual([])
    const retried = ragChatTrace()
      .update('generator-http', { ...httpError(503), durationMs: 100 })
      .add('generator-http-retry', { name: 'POST /v1/chat/completions', parent: 'generator', service: 'answer-svc', kind: 'client', startMs: 400, durationMs: 2990, attributes: { 'http.response.status_code': 200 } })
    expect(detectSilentErrors(retried.build(), config)).toEqual([])
  })
})
