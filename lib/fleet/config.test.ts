import { describe, expect, it } from 'vitest'
import { fileConfigSchema, parseFileConfig } from '@/lib/config'
import { ConfigError } from '@/lib/env'
import { DEFAULT_FLEET_CONFIG, fleetConfigSchema, queueNamesFor } from './config'
import { fleetQuerySchema } from './schemas'

describe('the fleet configuration', () => {
  it('works with no configuration at all: dcgm-exporter, kube-state-metrics, both vLLM names, the RabbitMQ exporter', () => {
    expect(fileConfigSchema.parse({}).fleet).toEqual(DEFAULT_FLEET_CONFIG)
    expect(DEFAULT_FLEET_CONFIG.metrics.kvCacheUsage.metrics).toEqual(['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'])
    expect(DEFAULT_FLEET_CONFIG.metrics.gpuAllocatable).toEqual({ metrics: ['kube_node_status_allocatable'], matchers: 'resource="nvidia_com_gpu"' })
    expect(DEFAULT_FLEET_CONFIG.thresholds).toMatchObject({ gpuMemoryShare: 0.95, silenceSeconds: 120, kvCacheUsage: 0.95 })
  })

  it('fills in what a partial configuration leaves out', () => {
    const config = parseFileConfig(JSON.stringify({ fleet: { thresholds: { gpuMemoryShare: 0.9 }, labels: { gpuHost: 'node' } } }), 'firebreak.config.json').fleet
    expect(config.thresholds).toMatchObject({ gpuMemoryShare: 0.9, kvCacheUsage: 0.95 })
    expect(config.labels).toMatchObject({ gpuHost: 'node', node: 'node', pod: 'pod' })
    expect(config.metrics.output.metrics).toEqual(['vllm:num_requests_running'])
  })

  it('names the field of each mistake, including PromQL that does not parse', () => {
    const run = () => parseFileConfig(JSON.stringify({ fleet: { thresholds: { gpuMemoryShare: 95 }, metrics: { gatewayRequests: { metrics: ['http_requests_total'], matchers: 'job=' } }, queries: { kvCacheUsage: 'max by (pod) (' }, labels: { node: 'kubernetes node' } } }), 'firebreak.config.json')
    expect(run).toThrow(ConfigError)
    const message = (() => {
      try {
        run()
      } catch (error) {
        return (error as Error).message + JSON.stringify(error)
      }
    })()
    expect(message).toContain('fleet.thresholds.gpuMemoryShare')
    expect(message).toContain('fleet.metrics.gatewayRequests.matchers')
    expect(message).toContain('fleet.queries.kvCacheUsage does not parse')
    expect(message).toContain('fleet.labels.node is not a Prometheus label name')
  })

  it('rejects a query override for a column that does not exist', () => {
    expect(fleetConfigSchema.safeParse({ queries: { gpuPower: 'DCGM_FI_DEV_POWER_USAGE' } }).success).toBe(false)
  })

  it('names queues after the pipeline unless the pipeline has its own', () => {
    const config = fleetConfigSchema.parse({ queues: { pipelines: { 'rag-chat': { deadLetterQueue: 'rag-chat-dlx' } } } })
    expect(queueNamesFor('rag-chat', config)).toEqual({ queue: 'rag-chat', deadLetterQueue: 'rag-chat-dlx' })
    expect(queueNamesFor('summarise', config)).toEqual({ queue: 'summarise', deadLetterQueue: 'summarise.dlq' })
  })
})

describe('the fleet view URL', () => {
  it('reads ?at= with or without a zone (a zoneless time is UTC, as the page shows times) and ?pipeline=', () => {
    expect(fleetQuerySchema.parse({ at: '2026-11-22T04:30:00Z', pipeline: 'rag-chat' })).toEqual({ at: new Date('2026-11-22T04:30:00Z'), pipeline: 'rag-chat' })
    expect(fleetQuerySchema.parse({ at: '2026-11-22T04:30' }).at).toEqual(new Date('2026-11-22T04:30:00Z'))
    expect(fleetQuerySchema.parse({ at: '2026-11-22T06:30:00+02:00' }).at).toEqual(new Date('2026-11-22T04:30:00Z'))
    expect(fleetQuerySchema.parse({ at: '', pipeline: '' })).toEqual({ at: undefined, pipeline: undefined })
  })

  it('refuses a moment in the future, a time that is not one, a strange pipeline name and unknown parameters', () => {
    expect(fleetQuerySchema.safeParse({ at: new Date(Date.now() + 3_600_000).toISOString() }).success).toBe(false)
    expect(fleetQuerySchema.safeParse({ at: 'yesterday' }).success).toBe(false)
    expect(fleetQuerySchema.safeParse({ pipeline: 'rag chat"}' }).success).toBe(false)
    expect(fleetQuerySchema.safeParse({ node: 'gpu-node-1' }).success).toBe(false)
  })
})
