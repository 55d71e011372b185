/**
 * Test traces for the detectors: a named scenario, `ragChatTrace()`, builds the trace a rag-chat pipeline emits with
 * OpenTelemetry GenAI attributes (gateway, router, embedder, retriever, generator with its HTTP call to vLLM, judge,
 * post-processing); a test then changes the one thing its case is about. Spans are addressed by key, ids are derived
 * from the order they were added.
 */
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode, Trace, TraceSpan } from '../model'

export const TEST_TRACE_ID = '7f3a9c1e5b2d4f60a8c1e3b5d7f9a2c4'
const TRACE_START_US = 1_795_000_000_000_000

export interface SpanSpec {
  name: string
  /** key of the parent span; absent for a root */
  parent?: string
  service: string
  kind?: SpanKind
  /** from the start of the trace */
  startMs: number
  durationMs: number
  status?: { code: SpanStatusCode; message?: string }
  attributes?: Attributes
  resource?: Attributes
  events?: { name: string; atMs: number; attributes?: Attributes }[]
}

/** Attribute changes: a value sets, undefined removes. */
export type SpanPatch = Partial<Omit<SpanSpec, 'attributes'>> & { attributes?: Record<string, AttributeValue | undefined> }

export class TraceBuilder {
  private readonly specs = new Map<string, SpanSpec>()
  private readonly ids = new Map<string, string>()

  constructor(
    readonly traceId = TEST_TRACE_ID,
    readonly source = 'test scenario',
  ) {}

  add(key: string, spec: SpanSpec): this {
    if (this.specs.has(key)) throw new Error(`span ${key} already exists`)
    this.specs.set(key, spec)
    this.ids.set(key, (this.ids.size + 1).toString(16).padStart(16, '0'))
    return this
  }

  update(key: string, patch: SpanPatch): this {
    const spec = this.spec(key)
    const attributes: Attributes = { ...spec.attributes }
    for (const [name, value] of Object.entries(patch.attributes ?? {})) {
      if (value === undefined) delete attributes[name]
      else attributes[name] = value
    }
    this.specs.set(key, { ...spec, ...patch, attributes })
    return this
  }

  remove(key: string): this {
    this.spec(key)
    this.specs.delete(key)
    return this
  }

  spanId(key: string): string {
    const id = this.ids.get(key)
    if (!id) throw new Error(`no span ${key}`)
    return id
  }

  build(): Trace {
    const spans: TraceSpan[] = [...this.specs].map(([key, spec]) => ({
      traceId: this.traceId,
      spanId: this.spanId(key),
      parentSpanId: spec.parent ? this.spanId(spec.parent) : null,
      name: spec.name,
      service: spec.service,
      kind: spec.kind ?? 'internal',
      startUs: TRACE_START_US + spec.startMs * 1000,
      durationUs: spec.durationMs * 1000,
      status: spec.status ?? { code: 'unset' },
      attributes: { ...spec.attributes },
      resource: { 'service.name': spec.service, ...spec.resource },
      scope: { name: 'rag-chat.pipeline', version: '2.4.0' },
      events: (spec.events ?? []).map((e) => ({ name: e.name, timeUs: TRACE_START_US + e.atMs * 1000, attributes: { ...e.attributes } })),
      links: [],
    }))
    return { traceId: this.traceId, spans, source: this.source }
  }

  private spec(key: string): SpanSpec {
    const spec = this.specs.get(key)
    if (!spec) throw new Error(`no span ${key}`)
    return spec
  }
}

const SYSTEM_PROMPT = 'You are the support assistant of Acme Cloud. Answer from the documents only and cite them.'
const QUESTION = 'How do I rotate the API key of a service account without downtime?'
const DOCUMENTS = [
  { id: 'kb-1042#3', score: 0.87, content: 'Create a second key, deploy it, then revoke the first one.' },
  { id: 'kb-0977#1', score: 0.81, content: 'Service accounts can hold two active keys at the same time.' },
  { id: 'kb-1310#2', score: 0.74, content: 'Revoked keys stop working within 60 seconds.' },
]
const ANSWER = 'Create a second key for the service account, roll it out, then revoke the old key [kb-1042#3][kb-0977#1].'

/**
 * One request through the rag-chat pipeline, 3.8 s end to end, everything healthy: the router classifies it as a
 * general question and routes it to the general LLM, bge-large embeds the question, the retriever returns three chunks,
 * Llama 3.1 70B (AWQ, with a LoRA adapter) answers and stops by itself, a Qwen judge scores the answer, and
 * post-processing adds the citations.
 * Keys: root, router, embedder, retriever, generator, generator-http, judge, postprocess.
 */
export function ragChatTrace(): TraceBuilder {
  return new TraceBuilder()
    .add('root', {
      name: 'POST /v1/chat',
      service: 'llm-gateway',
      kind: 'server',
      startMs: 0,
      durationMs: 3800,
      attributes: { 'http.request.method': 'POST', 'http.route': '/v1/chat', 'http.response.status_code': 200, pipeline: 'rag-chat', 'enduser.id': 'u-18423' },
    })
    .add('router', {
      name: 'route request',
      parent: 'root',
      service: 'intent-router',
      startMs: 10,
      durationMs: 60,
      attributes: {
        'pipeline.stage': 'router',
        'gen_ai.operation.name': 'text_completion',
        'gen_ai.request.model': 'intent-classifier',
        'model.version': '3.1.0',
        'gen_ai.request.max_tokens': 4,
        'gen_ai.usage.input_tokens': 182,
        'gen_ai.usage.output_tokens': 2,
        'gen_ai.response.finish_reasons': ['stop'],
        'routing.request_class': 'general',
        'routing.decision': 'general-llm',
        'routing.signals.intent': 'general',
        'routing.signals.intent_score': 0.91,
      },
    })
    .add('embedder', {
      name: 'embeddings bge-large-en-v1.5',
      parent: 'root',
      service: 'embed-svc',
      kind: 'client',
      startMs: 80,
      durationMs: 30,
      attributes: {
        'pipeline.stage': 'embedder',
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.provider.name': 'vllm',
        'gen_ai.request.model': 'bge-large-en-v1.5',
        'model.version': '2024-02-rev-d4aa6901',
        'gen_ai.usage.input_tokens': 17,
        'gen_ai.embeddings.dimension.count': 1024,
      },
    })
    .add('retriever', {
      name: 'retrieval kb-chunks',
      parent: 'root',
      service: 'retrieval-svc',
      kind: 'client',
      startMs: 115,
      durationMs: 65,
      attributes: {
        'pipeline.stage': 'retriever',
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.data_source.id': 'kb-chunks',
        'gen_ai.retrieval.query.text': QUESTION,
        'gen_ai.retrieval.documents': JSON.stringify(DOCUMENTS.map(({ id, score }) => ({ id, score }))),
      },
    })
    .add('generator', {
      name: 'chat llama-3.1-70b-instruct',
      parent: 'root',
      service: 'answer-svc',
      kind: 'client',
      startMs: 200,
      durationMs: 3200,
      attributes: {
        'pipeline.stage': 'generator',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'vllm',
        'gen_ai.request.model': 'llama-3.1-70b-instruct',
        'gen_ai.response.model': 'llama-3.1-70b-instruct',
        'model.version': 'rev-2f1c9a7',
        'model.quantization': 'awq-int4',
        'model.lora_adapter': 'support-tone-v3',
        'model.context_window': 8192,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.max_tokens': 1024,
        'gen_ai.usage.input_tokens': 3120,
        'gen_ai.usage.output_tokens': 412,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: SYSTEM_PROMPT }]),
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: QUESTION }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' }]),
        'pipeline.retrieved_documents': DOCUMENTS.map((d) => `${d.id}: ${d.content}`),
      },
    })
    .add('generator-http', {
      name: 'POST /v1/chat/completions',
      parent: 'generator',
      service: 'answer-svc',
      kind: 'client',
      startMs: 205,
      durationMs: 3190,
      attributes: { 'http.request.method': 'POST', 'server.address': 'vllm-llama70b.inference.svc', 'http.response.status_code': 200 },
    })
    .add('judge', {
      name: 'chat qwen2.5-7b-instruct',
      parent: 'root',
      service: 'judge-svc',
      kind: 'client',
      startMs: 3420,
      durationMs: 280,
      attributes: {
        'pipeline.stage': 'judge',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'vllm',
        'gen_ai.request.model': 'qwen2.5-7b-instruct',
        'model.version': 'rev-a09e113',
        'gen_ai.request.max_tokens': 16,
        'gen_ai.usage.input_tokens': 910,
        'gen_ai.usage.output_tokens': 3,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.evaluation.score.value': 0.86,
      },
    })
    .add('postprocess', {
      name: 'post-process answer',
      parent: 'root',
      service: 'llm-gateway',
      startMs: 3710,
      durationMs: 50,
      attributes: {
        'pipeline.stage': 'post-processing',
        'pipeline.output.raw': ANSWER,
        'pipeline.output.processed': `${ANSWER}\n\nSources: kb-1042#3, kb-0977#1`,
      },
    })
}
