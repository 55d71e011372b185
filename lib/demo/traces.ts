/**
 * The demo story's traces (lib/demo/story.ts), as the OTLP receiver would have stored them: one rag-chat request on
 * gpu-node-2 during the GPU OOM with a prompt near the model's context window (long RAG prompts are the story's cause),
 * one summarizer request cut off by the lowered max_tokens, and a healthy doc-qa request. Ids are derived from the
 * epoch, so seeding again stores nothing twice.
 */
import type { Trace } from '@/lib/traces/model'
import { traceFromStages, type Stage } from '@/lib/traces/stages'

function build(traceKey: string, startsAt: Date, stages: Stage[]): Trace {
  return traceFromStages({ trace: `demo-trace:${traceKey}`, span: (key) => `demo-span:${traceKey}:${key}` }, startsAt, stages, { environment: 'demo', scope: { name: 'firebreak-demo' } })
}

const minutesBefore = (epoch: Date, minutes: number) => new Date(epoch.getTime() - minutes * 60_000)

export function demoTraces(epoch: Date): { key: 'rag-chat' | 'summarizer' | 'doc-qa'; trace: Trace }[] {
  const ragChat = build('rag-chat-oom', minutesBefore(epoch, 10), [
    { key: 'router', name: 'POST /v1/chat', service: 'llm-gateway', parent: null, startMs: 0, durationMs: 9_400, attributes: { 'pipeline.stage': 'router', pipeline: 'rag-chat', 'routing.decision': 'llama-3-70b-instruct@gpu-node-2', 'routing.request_class': 'long-form' } },
    { key: 'embed', name: 'embeddings bge-large-en', service: 'embedder', parent: 'router', startMs: 15, durationMs: 40, attributes: { 'pipeline.stage': 'embedder', 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'bge-large-en', 'gen_ai.usage.input_tokens': 38 } },
    { key: 'retrieve', name: 'retrieve top_k=20', service: 'retriever', parent: 'router', startMs: 60, durationMs: 180, attributes: { 'pipeline.stage': 'retriever', 'gen_ai.operation.name': 'retrieval', 'retrieval.top_k': 20, 'retrieval.documents.count': 20 } },
    {
      key: 'generate',
      name: 'chat llama-3-70b-instruct',
      service: 'vllm-rag-chat',
      parent: 'router',
      startMs: 250,
      durationMs: 8_900,
      attributes: {
        'pipeline.stage': 'generator',
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'vllm',
        'gen_ai.request.model': 'llama-3-70b-instruct',
        'gen_ai.response.model': 'llama-3-70b-instruct',
        'model.context_window': 8192,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.max_tokens': 512,
        'gen_ai.usage.input_tokens': 7_610,
        'gen_ai.usage.output_tokens': 402,
        'gen_ai.response.finish_reasons': ['stop'],
        'k8s.node.name': 'gpu-node-2',
        'k8s.pod.name': 'rag-chat-7d9f6c-1',
      },
    },
    { key: 'judge', name: 'chat judge-8b', service: 'judge', parent: 'router', startMs: 9_160, durationMs: 200, attributes: { 'pipeline.stage': 'judge', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'judge-8b', 'gen_ai.response.finish_reasons': ['stop'], 'judge.score': 0.82 } },
    { key: 'post', name: 'format answer', service: 'postprocess', parent: 'router', startMs: 9_370, durationMs: 25, attributes: { 'pipeline.stage': 'post-processing' } },
  ])
  const summarizer = build('summarizer-length', minutesBefore(epoch, 5), [
    { key: 'router', name: 'POST /v1/summarize', service: 'llm-gateway', parent: null, startMs: 0, durationMs: 2_600, attributes: { 'pipeline.stage': 'router', pipeline: 'summarizer', 'routing.decision': 'mistral-7b-instruct@gpu-node-4' } },
    {
      key: 'generate',
      name: 'chat mistral-7b-instruct',
      service: 'vllm-summarizer',
      parent: 'router',
      startMs: 20,
      durationMs: 2_500,
      attributes: {
        'pipeline.stage': 'generator',
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'vllm',
        'gen_ai.request.model': 'mistral-7b-instruct',
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.max_tokens': 256,
        'gen_ai.usage.input_tokens': 1_480,
        'gen_ai.usage.output_tokens': 256,
        'gen_ai.response.finish_reasons': ['length'],
        'pipeline.output.raw': 'The quarterly report shows revenue grew 12 % while support tickets about refunds doubled, driven by the new',
      },
    },
    { key: 'post', name: 'format summary', service: 'postprocess', parent: 'router', startMs: 2_530, durationMs: 30, attributes: { 'pipeline.stage': 'post-processing', 'pipeline.output.processed': 'The quarterly report shows revenue grew 12 % while support tickets about refunds doubled, driven by the new' } },
  ])
  const docQa = build('doc-qa-healthy', minutesBefore(epoch, 3), [
    { key: 'router', name: 'POST /v1/ask', service: 'llm-gateway', parent: null, startMs: 0, durationMs: 1_900, attributes: { 'pipeline.stage': 'router', pipeline: 'doc-qa', 'routing.decision': 'qwen2.5-32b-instruct@gpu-node-5' } },
    { key: 'retrieve', name: 'retrieve top_k=6', service: 'retriever', parent: 'router', startMs: 10, durationMs: 90, attributes: { 'pipeline.stage': 'retriever', 'gen_ai.operation.name': 'retrieval', 'retrieval.top_k': 6 } },
    { key: 'generate', name: 'chat qwen2.5-32b-instruct', service: 'vllm-doc-qa', parent: 'router', startMs: 110, durationMs: 1_750, attributes: { 'pipeline.stage': 'generator', 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'vllm', 'gen_ai.request.model': 'qwen2.5-32b-instruct', 'gen_ai.request.max_tokens': 1024, 'gen_ai.usage.input_tokens': 2_100, 'gen_ai.usage.output_tokens': 310, 'gen_ai.response.finish_reasons': ['stop'] } },
  ])
  return [
    { key: 'rag-chat', trace: ragChat },
    { key: 'summarizer', trace: summarizer },
    { key: 'doc-qa', trace: docQa },
  ]
}
