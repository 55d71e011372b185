import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACE_CONFIG, traceConfigSchema } from './config'
import { REDACTED, redactSpan, redactTrace, scrubEmails } from './redact'
import { ragChatTrace } from './detectors/test-trace'

const config = DEFAULT_TRACE_CONFIG

function sensitiveTrace() {
  return ragChatTrace()
    .update('root', {
      attributes: { 'user.email': 'dana@acme.example', 'http.request.header.authorization': ['Bearer sk-live-123'], customer: { email: 'ops@acme.example', tier: 'gold' } },
      resource: { 'deployment.owner': 'Platform team <platform@acme.example>', 'deployment.owner_email': 'platform@acme.example' },
    })
    .update('generator', {
      attributes: { 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Mail the report to dana.k+ops@acme.example please' }] }]) },
      status: { code: 'error', message: 'upstream rejected request from dana@acme.example' },
      events: [{ name: 'exception', atMs: 300, attributes: { 'exception.message': 'quota for ops@acme.example exceeded', 'enduser.id': 'u-18423' } }],
    })
    .build()
}

describe('redaction', () => {
  it('replaces identity and credential attributes on spans, resources, events and inside maps', () => {
    const trace = redactTrace(sensitiveTrace(), config)
    const root = trace.spans.find((s) => s.name === 'POST /v1/chat')!
    expect(root.attributes['enduser.id']).toBe(REDACTED)
    expect(root.attributes['user.email']).toBe(REDACTED)
    expect(root.attributes['http.request.header.authorization']).toBe(REDACTED)
    expect(root.attributes.customer).toEqual({ email: REDACTED, tier: 'gold' })
    expect(root.resource['deployment.owner_email']).toBe(REDACTED)
    expect(root.resource['deployment.owner']).toBe(`Platform team <${REDACTED}>`)
    const generator = trace.spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    expect(generator.events[0].attributes['enduser.id']).toBe(REDACTED)
  })

  it('cuts e-mail addresses out of prompts, error messages and event text and keeps the rest for replay', () => {
    const generator = redactTrace(sensitiveTrace(), config).spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    expect(JSON.parse(generator.attributes['gen_ai.input.messages'] as string)[0].parts[0].content).toBe(`Mail the report to ${REDACTED} please`)
    expect(generator.status.message).toBe(`upstream rejected request from ${REDACTED}`)
    expect(generator.events[0].attributes['exception.message']).toBe(`quota for ${REDACTED} exceeded`)
    expect(generator.attributes['gen_ai.request.model']).toBe('llama-3.1-70b-instruct')
    expect(generator.attributes['gen_ai.usage.input_tokens']).toBe(3120)
    expect(generator.attributes['gen_ai.output.messages']).toContain('Create a second key')
  })

  it('removes prompts and outputs whole when redact.prompts is on', () => {
    const strict = traceConfigSchema.parse({ redact: { prompts: true } })
    const trace = redactTrace(sensitiveTrace(), strict)
    const generator = trace.spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'pipeline.retrieved_documents']) expect(generator.attributes[key]).toBe(REDACTED)
    const retriever = trace.spans.find((s) => s.name === 'retrieval kb-chunks')!
    expect(retriever.attributes['gen_ai.retrieval.query.text']).toBe(REDACTED)
    expect(retriever.attributes['gen_ai.retrieval.documents']).toBe(REDACTED)
    const post = trace.spans.find((s) => s.name === 'post-process answer')!
    expect(post.attributes['pipeline.output.raw']).toBe(REDACTED)
    expect(post.attributes['pipeline.output.processed']).toBe(REDACTED)
    expect(generator.attributes['gen_ai.usage.output_tokens']).toBe(412)
  })

  it('scrubs e-mails only where emailsIn says, and redacts exactly the configured keys', () => {
    const narrow = traceConfigSchema.parse({ redact: { attributes: ['pipeline'], emailsIn: ['exception.*'] } })
    const trace = redactTrace(sensitiveTrace(), narrow)
    const root = trace.spans.find((s) => s.name === 'POST /v1/chat')!
    expect(root.attributes.pipeline).toBe(REDACTED)
    expect(root.attributes['user.email']).toBe('dana@acme.example')
    const generator = trace.spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    expect(generator.status.message).toContain('dana@acme.example')
    expect(generator.events[0].attributes['exception.message']).toBe(`quota for ${REDACTED} exceeded`)
  })

  it('never changes the trace it was given', () => {
    const original = sensitiveTrace()
    const copy = structuredClone(original)
    const redacted = redactTrace(original, config)
    expect(original).toEqual(copy)
    expect(redacted).not.toEqual(copy)
    expect(redacted.spans[0]).not.toBe(original.spans[0])
    const span = original.spans[0]
    expect(redactSpan(span, config).attributes['enduser.id']).toBe(REDACTED)
    expect(span.attributes['enduser.id']).toBe('u-18423')
  })

  it('recognises the usual shapes of an address', () => {
    expect(scrubEmails('to a.b-c+tag@mail.acme.co.uk, cc x@y.io; not @handle or user@localhost')).toBe(`to ${REDACTED}, cc ${REDACTED}; not @handle or user@localhost`)
  })
})
