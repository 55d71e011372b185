import { describe, expect, it } from 'vitest'
import { fleetConfigSchema } from '@/lib/fleet/config'
import { checkPromql } from '@/lib/telemetry/promql'
import { DEFAULT_RULES } from './rules'
import { anyOfRegex, DEFAULT_MODEL_VERSION_PATTERN, nearContextBucket, renderTemplate, TemplateError, templateParams, variantCount, type Scope, type TemplateParams } from './render'

const config = fleetConfigSchema.parse({})
const scopeForParams: Scope = { pipeline: 'rag-chat', nodes: [], pods: [] }
const params: TemplateParams = { ...templateParams({ windowMs: 5_400_000, stepSeconds: 60, fleet: config, scope: scopeForParams, maxModelLen: 8192 }), lookback: '1h' }
const scope: Scope = { pipeline: 'rag-chat', nodes: ['gpu-node-2'], pods: ['rag-chat-7d9f6c-1', 'rag-chat-7d9f6c-2'] }
const none: Scope = { pipeline: null, nodes: [], pods: [] }

describe('renderTemplate', () => {
  it('narrows each signal to the incident: pipeline on serving metrics, nodes on GPUs, pods on kube-state-metrics', () => {
    expect(renderTemplate('max({{kvCacheUsage}})', config, params, scope)).toBe('max(vllm:kv_cache_usage_perc{pipeline="rag-chat"})')
    expect(renderTemplate('max({{gpuMemoryUsed}})', config, params, scope)).toBe('max(DCGM_FI_DEV_FB_USED{Hostname=~"gpu-node-2"})')
    expect(renderTemplate('sum({{restarts}})', config, params, scope)).toBe('sum(kube_pod_container_status_restarts_total{pod=~"rag-chat-7d9f6c-1|rag-chat-7d9f6c-2"})')
    expect(renderTemplate('sum({{queueReady}})', config, params, scope)).toBe('sum(rabbitmq_queue_messages_ready{queue=~"rag-chat|rag-chat\\\\.dlq"})')
  })

  it('merges configured matchers, scope and the template’s own matchers into one selector', () => {
    const q = renderTemplate('sum(rate({{gatewayRequests}}{code="429"}[{{rate}}]))', config, params, scope)
    expect(q).toBe('sum(rate(http_requests_total{job="llm-gateway", pipeline="rag-chat", code="429"}[5m]))')
    expect(checkPromql(q).ok).toBe(true)
  })

  it('leaves signals fleet-wide when the scope is unknown', () => {
    expect(renderTemplate('max({{gpuMemoryUsed}})', config, params, none)).toBe('max(DCGM_FI_DEV_FB_USED)')
  })

  it('gives one variant per candidate name (vLLM renamed the KV-cache gauge)', () => {
    const t = 'max({{kvCacheUsage}})'
    expect(variantCount(t, config)).toBe(2)
    expect(renderTemplate(t, config, params, none, 1)).toBe('max(vllm:gpu_cache_usage_perc)')
  })

  it('escapes regex and string characters in label values', () => {
    expect(anyOfRegex(['a.b', 'c+d'])).toBe('a\\.b|c\\+d')
    const q = renderTemplate('max({{podInfo}})', config, params, { pipeline: 'x"y', nodes: [], pods: ['p.1'] })
    expect(checkPromql(q).ok).toBe(true)
  })

  it('renders parameters first, so a signal’s matchers may use one (the near-context bucket of vLLM’s histogram)', () => {
    expect(params.nearContextLe).toBe('5000(\\\\.0)?')
    const q = renderTemplate('sum(rate({{promptTokens}}{le=~"{{nearContextLe}}"}[{{rate}}]))', config, params, scope)
    expect(q).toBe('sum(rate(vllm:request_prompt_tokens_bucket{pipeline="rag-chat", le=~"5000(\\\\.0)?"}[5m]))')
    expect(checkPromql(q).ok).toBe(true)
  })

  it('names the configured work or dead-letter queue when a queue signal asks for one', () => {
    expect(renderTemplate('{{queueReady.deadLetter}}', config, params, scope)).toBe('rabbitmq_queue_messages_ready{queue="rag-chat.dlq"}')
    expect(renderTemplate('{{queueUnacked.work}}', config, params, scope)).toBe('rabbitmq_queue_messages_unacked{queue="rag-chat"}')
    const own = fleetConfigSchema.parse({ queues: { deadLetterQueueName: 'dead.{pipeline}', pipelines: { 'rag-chat': { deadLetterQueue: 'rag_parking' } } } })
    expect(renderTemplate('{{queueReady.deadLetter}}', own, params, scope)).toBe('rabbitmq_queue_messages_ready{queue="rag_parking"}')
    // fleet-wide: the configured name patterns, the work queues without the dead-letter ones
    const dl = renderTemplate('{{queueReady.deadLetter}}', config, params, none)
    expect(dl).toBe('rabbitmq_queue_messages_ready{queue=~".+\\\\.dlq"}')
    const work = renderTemplate('{{queueUnacked.work}}', config, params, none)
    expect(work).toBe('rabbitmq_queue_messages_unacked{queue=~".+", queue!~".+\\\\.dlq"}')
    for (const q of [dl, work]) expect(checkPromql(q).ok).toBe(true)
    expect(() => renderTemplate('{{kvCacheUsage.work}}', config, params, scope)).toThrow(TemplateError)
  })

  it('gives fleet thresholds and the model label to templates', () => {
    expect(params).toMatchObject({ modelLabel: 'model_name', kvCacheSaturated: 0.95, preemptionsPerSecond: 0.1, maxModelLen: 8192 })
  })

  it('refuses a template whose parameter has no value instead of guessing', () => {
    expect(() => renderTemplate('x / {{maxModelLen}}', config, { ...params, maxModelLen: null }, scope)).toThrow(TemplateError)
    expect(() => renderTemplate('{{promptTokens}}{le=~"{{nearContextLe}}"}', config, { ...params, nearContextLe: null }, scope)).toThrow(TemplateError)
  })

  it('renders every default rule into valid PromQL, with and without a scope', () => {
    for (const rule of DEFAULT_RULES) {
      if (rule.signal.kind !== 'promql') continue
      for (const s of [scope, none]) {
        for (let v = 0; v < variantCount(rule.signal.template, config); v++) {
          const q = renderTemplate(rule.signal.template, config, params, s, v)
          const check = checkPromql(q)
          expect(check.ok, `${rule.id}: ${q}: ${check.ok ? '' : check.error}`).toBe(true)
        }
      }
    }
  })
})

describe('nearContextBucket', () => {
  it('is the largest of vLLM’s 1-2-5 prompt buckets within 90 % of the context window', () => {
    expect(nearContextBucket(8192)).toBe(5000)
    expect(nearContextBucket(32_768)).toBe(20_000)
    expect(nearContextBucket(131_072)).toBe(100_000)
    expect(nearContextBucket(4096)).toBe(2000)
    expect(nearContextBucket(1)).toBeNull()
  })
})

describe('the model version pattern', () => {
  // label_replace anchors the expression; the pattern is RE2 and JavaScript alike
  const identity = (name: string) => new RegExp(`^(?:${DEFAULT_MODEL_VERSION_PATTERN})$`).exec(name)?.[1]

  it('strips a trailing version, so versions of one model share an identity', () => {
    expect(identity('support-assistant-v14')).toBe('support-assistant')
    expect(identity('support-assistant-v15')).toBe('support-assistant')
    expect(identity('mistral-7b-instruct-v0.3')).toBe('mistral-7b-instruct')
    expect(identity('ranker@a1b2c3')).toBe('ranker')
    expect(identity('org/reranker:2024-06')).toBe('org/reranker')
  })

  it('keeps different models apart: a generator and its judge, sizes and families', () => {
    expect(identity('llama-3.1-70b-instruct')).toBe('llama-3.1-70b-instruct')
    expect(identity('prometheus-7b-v2.0')).toBe('prometheus-7b')
    expect(identity('qwen2.5-7b-instruct')).toBe('qwen2.5-7b-instruct')
    expect(identity('llama-3-70b-instruct')).not.toBe(identity('llama-3-8b-instruct'))
  })
})
