import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readJsonFixture } from '@/tests/fixtures'
import { DEFAULT_TRACE_CONFIG, getTraceConfig, traceConfigSchema } from './config'
import { contextWindowOf, isModelCall, modelCallOf } from './genai'
import { detectFindings } from './detectors'
import { ragChatTrace } from './detectors/test-trace'
import type { Attributes, Trace, TraceSpan } from './model'

const config = DEFAULT_TRACE_CONFIG

/** Only what these tests need of Jaeger's query API trace JSON; the Jaeger adapter owns the full conversion. */
interface JaegerTrace {
  traceID: string
  spans: {
    spanID: string
    operationName: string
    references: { refType: string; spanID: string }[]
    startTime: number
    duration: number
    tags: { key: string; value: string | number | boolean }[]
    processID: string
  }[]
  processes: Record<string, { serviceName: string }>
}

function fromJaeger(json: JaegerTrace): Trace {
  const spans: TraceSpan[] = json.spans.map((s) => {
    const attributes: Attributes = Object.fromEntries(s.tags.filter((t) => t.key !== 'span.kind' && t.key !== 'error').map((t) => [t.key, t.value]))
    const tag = (key: string) => s.tags.find((t) => t.key === key)?.value
    return {
      traceId: json.traceID,
      spanId: s.spanID,
      parentSpanId: s.references.find((r) => r.refType === 'CHILD_OF')?.spanID ?? null,
      name: s.operationName,
      service: json.processes[s.processID].serviceName,
      kind: (tag('span.kind') as TraceSpan['kind']) ?? 'unspecified',
      startUs: s.startTime,
      durationUs: s.duration,
      status: { code: tag('error') === true ? 'error' : 'unset' },
      attributes,
      resource: { 'service.name': json.processes[s.processID].serviceName },
      events: [],
      links: [],
    }
  })
  return { traceId: json.traceID, spans, source: 'Jaeger' }
}

describe('model calls from OpenTelemetry GenAI spans', () => {
  const jaeger = fromJaeger(readJsonFixture<JaegerTrace>('jaeger/query-api-v1/genaiTestTrace.json'))
  const byId = (id: string) => jaeger.spans.find((s) => s.spanId === id)!

  it("reads the chat spans of jaeger-ui's GenAI trace: model, provider, token counts, messages", () => {
    const chat = byId('0000000000000005')
    expect(chat.name).toBe('chat model-a')
    expect(modelCallOf(chat, config)).toEqual({
      model: 'model-a',
      provider: 'example-ai',
      inputTokens: 1840,
      outputTokens: 260,
      prompt: chat.attributes['gen_ai.input.messages'],
      rawOutput: chat.attributes['gen_ai.output.messages'],
    })
    expect(JSON.parse(modelCallOf(chat, config)!.prompt!)[0].parts[0].content).toBe('Why did the checkout latency regress this afternoon?')
    expect(modelCallOf(byId('0000000000000036'), config)).toMatchObject({ model: 'model-b', inputTokens: 920, outputTokens: 140 })
  })

  it('takes retrieval spans as retriever stages, and agent, tool and HTTP spans as no model calls', () => {
    expect(modelCallOf(byId('0000000000000012'), config)).toEqual({ stage: 'retriever' })
    expect(isModelCall(byId('0000000000000004'), config)).toBe(false) // invoke_agent, though it names a provider
    expect(isModelCall(byId('0000000000000007'), config)).toBe(false) // execute_tool
    expect(modelCallOf(byId('0000000000000006'), config)).toBeNull() // POST /v1/messages
    expect(jaeger.spans.filter((s) => isModelCall(s, config)).map((s) => s.name)).toEqual([
      'chat model-a',
      'retrieval vector-search',
      'chat model-a',
      'retrieval vector-search',
      'chat model-a',
      'retrieval vector-search',
      'chat model-b',
      'chat model-a',
    ])
  })

  it('finds the one failure in that trace: the k8s API answered 500 and the trace store still answered 200', () => {
    const findings = detectFindings(jaeger, config)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      id: 'silent-error:0000000000000011',
      failureClass: 'cascading-context-corruption',
      severity: 'warning',
      spanIds: ['0000000000000011', '000000000000000f'],
      summary: 'k8s-api span "GET /api/v1/pods" failed (HTTP 500) but trace-store span "GET /api/traces" reported no error and the request succeeded',
    })
  })

  it('reads every field a debugger needs from a pipeline span (seed 000)', () => {
    const trace = ragChatTrace().build()
    const generator = trace.spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    const call = modelCallOf(generator, config)!
    expect(call).toMatchObject({
      stage: 'generator',
      model: 'llama-3.1-70b-instruct',
      modelVersion: 'rev-2f1c9a7',
      provider: 'vllm',
      quantization: 'awq-int4',
      loraAdapter: 'support-tone-v3',
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 1024,
      contextWindow: 8192,
      inputTokens: 3120,
      outputTokens: 412,
      finishReasons: ['stop'],
    })
    expect(call.retrievedDocuments).toHaveLength(3)
    const router = modelCallOf(trace.spans.find((s) => s.name === 'route request')!, config)!
    expect(router).toMatchObject({ stage: 'router', routingDecision: 'general-llm', routingSignals: { intent: 'general', intent_score: 0.91 } })
    const retriever = modelCallOf(trace.spans.find((s) => s.name === 'retrieval kb-chunks')!, config)!
    expect(retriever.retrievedDocuments?.map((d) => JSON.parse(d).id)).toEqual(['kb-1042#3', 'kb-0977#1', 'kb-1310#2'])
    const post = modelCallOf(trace.spans.find((s) => s.name === 'post-process answer')!, config)!
    expect(post.rawOutput).not.toEqual(post.postProcessedOutput)
  })

  it('understands older and other conventions, and values as Jaeger and some SDKs flatten them', () => {
    const span = ragChatTrace()
      .update('generator', {
        attributes: {
          'gen_ai.request.model': undefined,
          'gen_ai.response.model': undefined,
          'gen_ai.provider.name': undefined,
          'gen_ai.usage.input_tokens': undefined,
          'gen_ai.usage.output_tokens': undefined,
          'gen_ai.response.finish_reasons': '["length"]',
          'gen_ai.request.max_tokens': '256',
          'gen_ai.system': 'openai',
          'llm.model_name': 'gpt-4o',
          'gen_ai.usage.prompt_tokens': 900,
          'gen_ai.usage.completion_tokens': 256,
          'routing.signals': '{"intent":"code","score":0.4}',
        },
      })
      .build()
      .spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!
    expect(modelCallOf(span, config)).toMatchObject({
      model: 'gpt-4o',
      provider: 'openai',
      inputTokens: 900,
      outputTokens: 256,
      maxTokens: 256,
      finishReasons: ['length'],
      routingSignals: { intent: 'code', score: 0.4 },
    })
  })

  it("takes a hosted API's dated snapshot in gen_ai.response.model as the version, and model fields from the resource", () => {
    const trace = ragChatTrace()
      .update('judge', { attributes: { 'model.version': undefined, 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' } })
      .update('embedder', { attributes: { 'model.version': undefined }, resource: { 'model.version': '1.5.0' } })
      .build()
    expect(modelCallOf(trace.spans.find((s) => s.name === 'chat qwen2.5-7b-instruct')!, config)).toMatchObject({ model: 'gpt-4o', modelVersion: 'gpt-4o-2024-08-06' })
    expect(modelCallOf(trace.spans.find((s) => s.name === 'embeddings bge-large-en-v1.5')!, config)?.modelVersion).toBe('1.5.0')
  })

  it("maps a team's own attribute names, and finds a context window by model name", () => {
    const own = traceConfigSchema.parse({ attributes: { stage: ['acme.step'] }, modelContextWindows: { 'llama-3.1-70b-instruct': 16384 } })
    const trace = ragChatTrace()
      .update('generator', { attributes: { 'pipeline.stage': undefined, 'acme.step': 'answer', 'model.context_window': undefined } })
      .build()
    const call = modelCallOf(trace.spans.find((s) => s.name === 'chat llama-3.1-70b-instruct')!, own)!
    expect(call.stage).toBe('answer')
    expect(contextWindowOf(call, own)).toBe(16384)
    expect(contextWindowOf(call, config)).toBeUndefined()
  })
})

describe('getTraceConfig', () => {
  const previous = process.env.FIREBREAK_CONFIG
  afterEach(() => {
    if (previous === undefined) delete process.env.FIREBREAK_CONFIG
    else process.env.FIREBREAK_CONFIG = previous
  })

  it('reads the traces key of the configuration file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-')), 'firebreak.config.json')
    fs.writeFileSync(file, JSON.stringify({ traces: { modelContextWindows: { 'llama-3.1-8b-instruct': 32768 } } }))
    process.env.FIREBREAK_CONFIG = file
    expect(getTraceConfig().modelContextWindows).toEqual({ 'llama-3.1-8b-instruct': 32768 })
    expect(getTraceConfig().detectors.contextWindow.share).toBe(0.9)
  })
})
