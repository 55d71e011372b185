import { describe, expect, it } from 'vitest'
import { fileConfigSchema, parseFileConfig } from '@/lib/config'
import { ConfigError } from '@/lib/env'
import { DEFAULT_TRACE_CONFIG, keyMatcher, traceConfigSchema } from './config'

describe('the traces configuration', () => {
  it('works with no configuration: OTel GenAI names first, the older and OpenInference names after them', () => {
    expect(fileConfigSchema.parse({}).traces).toEqual(DEFAULT_TRACE_CONFIG)
    const a = DEFAULT_TRACE_CONFIG.attributes
    expect(a.model[0]).toBe('gen_ai.request.model')
    expect(a.provider).toEqual(['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'])
    expect(a.inputTokens.slice(0, 2)).toEqual(['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'])
    expect(a.outputTokens.slice(0, 2)).toEqual(['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'])
    expect(a.prompt).toContain('gen_ai.prompt')
    expect(a.rawOutput).toContain('gen_ai.completion')
    expect(a.stage).toEqual(['pipeline.stage'])
    expect(DEFAULT_TRACE_CONFIG.detectors.contextWindow.share).toBe(0.9)
    expect(DEFAULT_TRACE_CONFIG.detectors.tokenBudget).toEqual({ finishReasons: ['length', 'max_tokens'], lengthTerminatedShare: 0.05 })
    expect(DEFAULT_TRACE_CONFIG.detectors.timeout.stageTimeoutMs).toBe(60_000)
    expect(DEFAULT_TRACE_CONFIG.redact.prompts).toBe(false)
    expect(DEFAULT_TRACE_CONFIG.redact.attributes).toContain('enduser.*')
  })

  it('fills in what a partial configuration leaves out, and takes one version or a list', () => {
    const config = parseFileConfig(
      JSON.stringify({
        traces: {
          attributes: { stage: ['app.stage', 'pipeline.stage'] },
          detectors: { contextWindow: { share: 0.8 }, versions: { expected: { models: { 'bge-large-en-v1.5': '1.5.0', 'llama-3.1-70b-instruct': ['rev-a', 'rev-b'] } } } },
          modelContextWindows: { 'llama-3.1-70b-instruct': 8192 },
        },
      }),
      'firebreak.config.json',
    ).traces
    expect(config.attributes.stage).toEqual(['app.stage', 'pipeline.stage'])
    expect(config.attributes.model).toEqual(DEFAULT_TRACE_CONFIG.attributes.model)
    expect(config.detectors.contextWindow.share).toBe(0.8)
    expect(config.detectors.tokenBudget.lengthTerminatedShare).toBe(0.05)
    expect(config.detectors.versions.expected.models).toEqual({ 'bge-large-en-v1.5': ['1.5.0'], 'llama-3.1-70b-instruct': ['rev-a', 'rev-b'] })
    expect(config.detectors.versions.agreeingStages).toEqual([['indexer', 'embedder']])
    expect(config.modelContextWindows).toEqual({ 'llama-3.1-70b-instruct': 8192 })
  })

  it('names the field of each mistake', () => {
    const run = () =>
      parseFileConfig(
        JSON.stringify({ traces: { detectors: { contextWindow: { share: 90 }, routing: { rules: { code: [] } } }, modelContextWindows: { llama: -1 }, attributes: { modle: ['x'] } } }),
        'firebreak.config.json',
      )
    expect(run).toThrow(ConfigError)
    const message = (() => {
      try {
        run()
      } catch (error) {
        return (error as Error).message + JSON.stringify(error)
      }
    })()
    expect(message).toContain('traces.detectors.contextWindow.share')
    expect(message).toContain('traces.detectors.routing.rules.code')
    expect(message).toContain('traces.modelContextWindows.llama')
    expect(message).toContain('traces.attributes')
  })

  it('rejects a stage timeout of zero and an unknown detector', () => {
    expect(traceConfigSchema.safeParse({ detectors: { timeout: { stageTimeoutMs: 0 } } }).success).toBe(false)
    expect(traceConfigSchema.safeParse({ detectors: { latency: {} } }).success).toBe(false)
    expect(traceConfigSchema.parse({ detectors: { timeout: { stageTimeoutMs: null } } }).detectors.timeout.stageTimeoutMs).toBeNull()
  })

  it('matches keys exactly or by glob, ignoring case', () => {
    const matches = keyMatcher(['enduser.*', 'user_id', '*.email'])
    expect(keyMatcher(DEFAULT_TRACE_CONFIG.redact.attributes)('deployment.owner_email')).toBe(true)
    expect(matches('enduser.id')).toBe(true)
    expect(matches('EndUser.Pseudo.Id')).toBe(true)
    expect(matches('user_id')).toBe(true)
    expect(matches('customer.email')).toBe(true)
    expect(matches('enduser')).toBe(false)
    expect(matches('user_id_hash')).toBe(false)
    expect(matches('gen_ai.usage.input_tokens')).toBe(false)
    expect(keyMatcher([])('anything')).toBe(false)
    expect(keyMatcher(['a.b'])('aXb')).toBe(false)
  })
})
