import { describe, expect, it } from 'vitest'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from '@/lib/telemetry/metrics-source'
import { DEFAULT_FLEET_CONFIG, fleetConfigSchema } from './config'
import { loadFleet } from './load'
import { buildFleetQueries } from './queries'

const AT = new Date('2026-11-22T04:30:00Z')

/** Answers every query with nothing, except where told to fail, hang or answer; records what it was asked. */
class ScriptedSource implements MetricsSource {
  readonly name = 'Prometheus'
  readonly instantCalls: { query: string; time: Date }[] = []
  readonly rangeCalls: { query: string; range: { start: Date; end: Date; stepSeconds: number } }[] = []
  constructor(private readonly behaviour: (query: string) => 'empty' | 'hang' | MetricsSourceError | InstantSample[] = () => 'empty') {}
  private answer<T>(query: string, empty: T[]): Promise<T[]> {
    const b = this.behaviour(query)
    if (b === 'hang') return new Promise(() => {})
    if (b instanceof MetricsSourceError) return Promise.reject(b)
    return Promise.resolve(b === 'empty' ? empty : (b as T[]))
  }
  queryInstant(query: string, time: Date): Promise<InstantSample[]> {
    this.instantCalls.push({ query, time })
    return this.answer(query, [])
  }
  queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    this.rangeCalls.push({ query, range })
    return this.answer(query, [])
  }
  async series(): Promise<Record<string, string>[]> {
    return []
  }
}

describe('loading the fleet view', () => {
  it('sends one bounded batch: each column once, instant at the moment, liveness over the lookback', async () => {
    const source = new ScriptedSource()
    await loadFleet(source, DEFAULT_FLEET_CONFIG, AT)
    expect(source.instantCalls.length + source.rangeCalls.length).toBe(buildFleetQueries(DEFAULT_FLEET_CONFIG).length)
    expect(source.instantCalls.every((c) => c.time.getTime() === AT.getTime())).toBe(true)
    expect(source.rangeCalls.map((c) => c.range)).toEqual([
      { start: new Date('2026-11-22T03:30:00Z'), end: AT, stepSeconds: 15 },
      { start: new Date('2026-11-22T03:30:00Z'), end: AT, stepSeconds: 15 },
    ])
  })

  it('joins what answered and names the queries that did not', async () => {
    const source = new ScriptedSource((q) =>
      q.includes('DCGM_FI_DEV_GPU_TEMP') ? new MetricsSourceError('Prometheus is unreachable', 'backend') : q.includes('DCGM_FI_DEV_FB_USED') ? [{ labels: { Hostname: 'gpu-node-1', gpu: '0' }, value: [AT.getTime() / 1000, 1000] }] : 'empty',
    )
    const { view, failed } = await loadFleet(source, DEFAULT_FLEET_CONFIG, AT)
    expect(failed).toEqual([{ id: 'gpuTemperature', label: 'GPU temperature (DCGM_FI_DEV_GPU_TEMP)', error: 'Prometheus is unreachable' }])
    expect(view.nodes[0].gpus[0]).toMatchObject({ memoryUsedMiB: 1000, temperatureC: null })
  })

  it('gives up on a query that does not answer in time, and says so', async () => {
    const source = new ScriptedSource((q) => (q.includes('kube_pod_info') ? 'hang' : 'empty'))
    const { failed } = await loadFleet(source, fleetConfigSchema.parse({ queryTimeoutMs: 500 }), AT)
    expect(failed.map((f) => [f.id, f.error])).toEqual([
      ['podInfo', 'Prometheus did not answer within 0.5 s'],
      ['podFirstSeen', 'Prometheus did not answer within 0.5 s'],
    ])
  })

  it('blames the configuration, not the backend, for a query Prometheus rejects', async () => {
    const cfg = fleetConfigSchema.parse({ queries: { queueReady: 'sum by (queue) (my_queue_depth)' } })
    const source = new ScriptedSource((q) => (q === 'sum by (queue) (my_queue_depth)' ? new MetricsSourceError('Prometheus: unknown function', 'query') : 'empty'))
    const { failed } = await loadFleet(source, cfg, AT)
    expect(failed).toEqual([{ id: 'queueReady', label: 'queue depth (configured query)', error: 'the query is wrong (Prometheus: unknown function): check fleet.metrics or fleet.queries in the configuration' }])
  })

  it('fails as a whole only when the backend answered nothing at all', async () => {
    const source = new ScriptedSource(() => new MetricsSourceError('Prometheus is unreachable', 'backend'))
    await expect(loadFleet(source, DEFAULT_FLEET_CONFIG, AT)).rejects.toMatchObject({ kind: 'backend', message: 'Prometheus is unreachable' })
  })
})
