import { describe, expect, it } from 'vitest'
import { fleetConfigSchema } from '@/lib/fleet/config'
import { checkPromql } from '@/lib/telemetry/promql'
import { DEFAULT_RULES } from './rules'
import { anyOfRegex, renderTemplate, TemplateError, variantCount, type Scope, type TemplateParams } from './render'

const config = fleetConfigSchema.parse({})
const params: TemplateParams = { window: '5400s', rate: '5m', step: '60s', lookback: '1h', maxModelLen: 8192 }
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

  it('refuses a template whose parameter has no value instead of guessing', () => {
    expect(() => renderTemplate('x / {{maxModelLen}}', config, { ...params, maxModelLen: null }, scope)).toThrow(TemplateError)
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
