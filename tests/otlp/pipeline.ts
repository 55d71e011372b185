/**
 * A multi-model inference pipeline traced with the real OpenTelemetry JS SDK: one tracer provider per service, each
 * with its own OTLP exporter (protobuf or JSON, optionally gzip), as a deployment of separate services would send.
 *
 *   rag-gateway     POST /v1/chat (server, root) ─┬─ route (router: picks the generator)
 *   embedder        embeddings bge-large-en-v1.5 ─┤
 *   retriever       retrieve (vector search)     ─┤
 *   vllm-generator  chat llama-3-70b-instruct    ─┤ (first attempt, finish_reason length, status error)
 *   vllm-generator  chat mistral-7b-instruct     ─┤ (fallback, finish_reason stop)
 *   judge           chat gpt-4o-mini             ─┤
 *   post-processor  post-process                 ─┘
 */
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'

export type ExporterKind = 'protobuf' | 'json'

export const PIPELINE_SERVICES = ['rag-gateway', 'embedder', 'retriever', 'vllm-generator', 'judge', 'post-processor'] as const

export function otlpExporter(kind: ExporterKind, url: string, token: string, options: { gzip?: boolean } = {}): SpanExporter {
  const config = {
    url: `${url}/v1/traces`,
    headers: { Authorization: `Bearer ${token}` },
    timeoutMillis: 10_000,
    ...(options.gzip ? { compression: 'gzip' as never } : {}),
  }
  return kind === 'protobuf' ? new OtlpProtoExporter(config) : new OtlpHttpJsonExporter(config)
}

export interface PipelineRun {
  traceId: string
  /** span name -> span id */
  spans: Record<string, string>
}

/**
 * Sends one pipeline trace; resolves when every service's exporter has flushed, rejects with the first export
 * failure. The pipeline label is a resource attribute (search by attribute finds it there).
 */
export async function sendPipelineTrace(kind: ExporterKind, url: string, token: string, options: { gzip?: boolean; pipeline?: string } = {}): Promise<PipelineRun> {
  const providers = new Map<string, BasicTracerProvider>()
  const tracerFor = (service: string) => {
    let provider = providers.get(service)
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'test', pipeline: options.pipeline ?? 'rag-chat' }),
        spanProcessors: [new BatchSpanProcessor(otlpExporter(kind, url, token, options))],
      })
      providers.set(service, provider)
    }
    return provider.getTracer('firebreak-pipeline-test', '1.0.0')
  }
  const ids: Record<string, string> = {}
  const child = (service: string, name: string, parent: Span, attributes: Record<string, string | number | boolean | string[]>, kind = SpanKind.INTERNAL) => {
    const span = tracerFor(service).startSpan(name, { kind, attributes }, trace.setSpan(context.active(), parent))
    ids[name] = span.spanContext().spanId
    return span
  }

  const root = tracerFor('rag-gateway').startSpan('POST /v1/chat', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/v1/chat', 'pipeline.stage': 'gateway' } })
  ids['POST /v1/chat'] = root.spanContext().spanId
  const router = child('rag-gateway', 'route', root, { 'pipeline.stage': 'router', 'routing.decision': 'llama-3-70b-instruct', 'routing.signals.complexity': 0.82 })
  router.end()
  const embed = child('embedder', 'embeddings bge-large-en-v1.5', root, {
    'pipeline.stage': 'embedder',
    'gen_ai.operation.name': 'embeddings',
    'gen_ai.request.model': 'bge-large-en-v1.5',
    'gen_ai.usage.input_tokens': 42,
  }, SpanKind.CLIENT)
  embed.end()
  const retrieve = child('retriever', 'retrieve', root, { 'pipeline.stage': 'retriever', 'db.system.name': 'qdrant', 'retrieval.documents.count': 5 })
  retrieve.addEvent('retrieved', { 'document.ids': ['doc-1', 'doc-7', 'doc-9'] })
  retrieve.end()
  const generate = child('vllm-generator', 'chat llama-3-70b-instruct', root, {
    'pipeline.stage': 'generator',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'vllm',
    'gen_ai.request.model': 'llama-3-70b-instruct',
    'gen_ai.response.model': 'llama-3-70b-instruct',
    'gen_ai.request.max_tokens': 512,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.top_p': 0.9,
    'gen_ai.usage.input_tokens': 3900,
    'gen_ai.usage.output_tokens': 512,
    'gen_ai.response.finish_reasons': ['length'],
  }, SpanKind.CLIENT)
  generate.setStatus({ code: SpanStatusCode.ERROR, message: 'completion cut at max_tokens' })
  generate.end()
  const fallback = child('vllm-generator', 'chat mistral-7b-instruct', root, {
    'pipeline.stage': 'generator',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'vllm',
    'gen_ai.request.model': 'mistral-7b-instruct',
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.request.temperature': 0.7,
    'gen_ai.request.top_p': 1,
    'gen_ai.usage.input_tokens': 3900,
    'gen_ai.usage.output_tokens': 230,
    'gen_ai.response.finish_reasons': ['stop'],
  }, SpanKind.CLIENT)
  fallback.end()
  const judge = child('judge', 'chat gpt-4o-mini', root, {
    'pipeline.stage': 'judge',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.request.temperature': 0,
    'gen_ai.usage.input_tokens': 800,
    'gen_ai.usage.output_tokens': 12,
    'gen_ai.response.finish_reasons': ['stop'],
    'judge.verdict': 'grounded',
  }, SpanKind.CLIENT)
  judge.end()
  const post = child('post-processor', 'post-process', root, { 'pipeline.stage': 'post-processing', 'pipeline.output.processed': 'The answer.' })
  post.end()
  root.setStatus({ code: SpanStatusCode.OK })
  root.end()

  // every provider flushes and shuts down; then the first export failure, if any, is thrown
  const flushed = await Promise.allSettled([...providers.values()].map((p) => p.forceFlush()))
  await Promise.allSettled([...providers.values()].map((p) => p.shutdown()))
  const failed = flushed.find((r) => r.status === 'rejected')
  if (failed) {
    // BatchSpanProcessor rejects with the list of its export errors
    const reason = (failed as PromiseRejectedResult).reason
    throw Array.isArray(reason) ? reason[0] : reason
  }
  return { traceId: root.spanContext().traceId, spans: ids }
}
