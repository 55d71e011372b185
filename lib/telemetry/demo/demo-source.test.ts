/**
 * DemoMetricsSource: the MetricsSource the demo uses, answering Firebreak's PromQL from scenarios placed in wall-clock
 * time, with results shaped as PrometheusSource shapes Prometheus' (scalars as one sample without labels, __name__ on
 * raw selectors) and errors as MetricsSourceErrors.
 */
import { describe, expect, it } from 'vitest'
import { MetricsSourceError } from '../metrics-source'
import { GPU_OOM, SLOW_MODEL_LOADING } from '../scenarios/library'
import { DemoMetricsSource } from './demo-source'
import { GeneratedSeriesStore, type SampleStore } from './store'

const startsAt = new Date('2026-11-22T00:00:00Z')
const minute = (m: number) => new Date(startsAt.getTime() + m * 60_000)
const now = () => minute(360)

describe('DemoMetricsSource', () => {
  const oom = DemoMetricsSource.forScenarios([{ scenario: GPU_OOM, startsAt }], { now, historyDays: 2 })

  it('says it is demo data', () => {
    expect(oom.name).toBe('Demo data')
    expect(oom.isDemo).toBe(true)
  })

  it('tells the OOM node from the healthy ones, as Prometheus would with the same scenario', async () => {
    const result = await oom.queryInstant('max by (Hostname) (DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))', minute(330))
    const share = Object.fromEntries(result.map((s) => [s.labels.Hostname, s.value[1]]))
    expect(share['gpu-node-2']).toBeGreaterThan(0.97)
    expect(share['gpu-node-1']).toBeLessThan(0.95)
    expect(result.every((s) => s.value[0] === minute(330).getTime() / 1000)).toBe(true)
    const [preemptions] = await oom.queryInstant('rate(vllm:num_preemptions_total{instance="gpu-node-2:8000"}[5m])', minute(330))
    expect(preemptions.value[1]).toBeCloseTo(0.8, 9)
  })

  it('answers scalars as one sample without labels, and keeps __name__ on raw selectors', async () => {
    expect(await oom.queryInstant('scalar(count(DCGM_FI_DEV_GPU_UTIL))', minute(330))).toEqual([{ labels: {}, value: [minute(330).getTime() / 1000, 6] }])
    const [node] = await oom.queryInstant('kube_node_status_allocatable{node="gpu-node-1"}', minute(330))
    expect(node.labels).toEqual({ __name__: 'kube_node_status_allocatable', node: 'gpu-node-1', resource: 'nvidia_com_gpu', unit: 'integer' })
  })

  it('answers range queries step by step, each series with its points', async () => {
    const series = await oom.queryRange('sum by (Hostname) (DCGM_FI_DEV_GPU_UTIL)', { start: minute(300), end: minute(310), stepSeconds: 120 })
    expect(series.map((s) => s.labels.Hostname)).toEqual(['gpu-node-1', 'gpu-node-2', 'gpu-node-3'])
    expect(series[0].points.map(([t]) => t)).toEqual([300, 302, 304, 306, 308, 310].map((m) => minute(m).getTime() / 1000))
  })

  it('finds series, and shows the containers that went silent during a slow rollout', async () => {
    const rollout = DemoMetricsSource.forScenarios([{ scenario: SLOW_MODEL_LOADING, startsAt }], { now, historyDays: 1 })
    const pods = async (from: number, to: number) => (await rollout.series(['vllm:num_requests_running'], { start: minute(from), end: minute(to) })).map((l) => l.pod)
    expect(await pods(200, 230)).toEqual(['rag-chat-7d9f6c-0', 'rag-chat-7d9f6c-1', 'rag-chat-7d9f6c-2'])
    expect(await pods(250, 310)).toEqual([])
    expect(await rollout.queryInstant('vllm:num_requests_running', minute(260))).toEqual([])
    expect(await rollout.queryInstant('absent(vllm:num_requests_running{pipeline="rag-chat"})', minute(260))).toEqual([{ labels: { pipeline: 'rag-chat' }, value: [minute(260).getTime() / 1000, 1] }])
  })

  it('reports query mistakes and unsupported PromQL as query errors', async () => {
    await expect(oom.queryInstant('sum(rate(vllm:num_preemptions_total[5m])', minute(330))).rejects.toMatchObject({ kind: 'query', message: expect.stringMatching(/syntax error at line 1, column/) })
    await expect(oom.queryRange('DCGM_FI_DEV_GPU_UTIL @ 1700000000', { start: minute(300), end: minute(310), stepSeconds: 60 })).rejects.toMatchObject({
      kind: 'query',
      message: 'The demo data cannot evaluate the @ modifier; connect a Prometheus (PROMETHEUS_URL) for this query',
    })
    await expect(oom.series(['rate(x[5m])'], { start: minute(0), end: minute(1) })).rejects.toBeInstanceOf(MetricsSourceError)
  })

  it('reports a fault of its own as a backend error, never a crash', async () => {
    const broken: SampleStore = {
      select: () => {
        throw new Error('disk on fire')
      },
    }
    await expect(new DemoMetricsSource(broken).queryInstant('up', minute(0))).rejects.toMatchObject({ kind: 'backend', message: expect.stringMatching(/disk on fire/) })
  })

  it('hands out copies, so a caller cannot change the store’s label sets', async () => {
    const source = new DemoMetricsSource(new GeneratedSeriesStore([{ metric: 'up', labels: { job: 'a' }, points: [[0, 1]] }]))
    const [first] = await source.queryInstant('up', new Date(0))
    first.labels.job = 'changed'
    const [second] = await source.queryInstant('up', new Date(0))
    expect(second.labels.job).toBe('a')
  })
})
