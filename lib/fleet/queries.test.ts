import { describe, expect, it } from 'vitest'
import { checkPromql } from '@/lib/telemetry/promql'
import { DEFAULT_FLEET_CONFIG, FLEET_QUERY_IDS, fleetConfigSchema } from './config'
import { buildFleetQueries } from './queries'

describe('the fleet queries', () => {
  const queries = buildFleetQueries(DEFAULT_FLEET_CONFIG)

  it('are one per column, aggregated in Prometheus, whatever the size of the fleet', () => {
    expect(queries.map((q) => q.id).sort()).toEqual([...FLEET_QUERY_IDS].sort())
    expect(queries.filter((q) => q.kind === 'range').map((q) => q.id)).toEqual(['lastOutput', 'podFirstSeen'])
    for (const q of queries) expect(q.query, q.id).toMatch(/^(max|min|sum) by \(/)
  })

  it('all parse as PromQL', () => {
    for (const q of queries) expect(checkPromql(q.query), `${q.id}: ${q.query}`).toEqual({ ok: true })
  })

  it('follow the metric names, label names and windows of the configuration', () => {
    const built = buildFleetQueries(fleetConfigSchema.parse({ labels: { gpuHost: 'node', node: 'kubernetes_node' }, windows: { rate: '2m' }, metrics: { gatewayRequests: { metrics: ['envoy_cluster_upstream_rq_total'], matchers: 'envoy_cluster_name=~"llm-.*"' } } }))
    const byId = Object.fromEntries(built.map((q) => [q.id, q.query]))
    expect(byId.gpuMemoryUsed).toBe('max by (node, gpu, modelName) (DCGM_FI_DEV_FB_USED)')
    expect(byId.gpuAllocatable).toBe('max by (kubernetes_node) (kube_node_status_allocatable{resource="nvidia_com_gpu"})')
    expect(byId.gatewayRequests).toBe('sum by (pipeline, upstream, code) (rate(envoy_cluster_upstream_rq_total{envoy_cluster_name=~"llm-.*"}[2m]))')
    expect(byId.lastOutput).toBe('max by (namespace, pod, model_name, pipeline, instance) (timestamp(vllm:num_requests_running))')
  })

  it('take a whole configured query in place of a built one', () => {
    const built = buildFleetQueries(fleetConfigSchema.parse({ queries: { queueReady: 'sum by (queue) (sqs_approximate_number_of_messages_visible)' } }))
    expect(built.find((q) => q.id === 'queueReady')).toEqual({ id: 'queueReady', kind: 'instant', query: 'sum by (queue) (sqs_approximate_number_of_messages_visible)', label: 'queue depth (configured query)' })
  })
})
