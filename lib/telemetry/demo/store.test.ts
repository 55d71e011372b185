/**
 * The demo's sample stores: concrete samples for tests, and scenarios placed in wall-clock time for the live demo
 * (epoch-aligned grid, counters consistent between queries, silent containers, nothing after now).
 */
import { describe, expect, it } from 'vitest'
import { SLOW_MODEL_LOADING, TOKEN_BUDGET } from '../scenarios/library'
import { generateSeries, type Scenario } from '../scenarios/model'
import { evaluateInstant } from './evaluator'
import { labelMatcher } from './labels'
import { GeneratedSeriesStore, ScenarioStore } from './store'

const byName = (name: string) => [labelMatcher('__name__', '=', name)]

describe('GeneratedSeriesStore', () => {
  const store = new GeneratedSeriesStore([
    { metric: 'g', labels: { b: '2' }, points: [[100, 1], [160, 2], [220, 3]] },
    { metric: 'g', labels: { a: '1' }, points: [[100, 5]] },
  ])

  it('selects samples in [from, to], both ends included, and only series that have some', () => {
    expect(store.select(byName('g'), 160, 220)).toEqual([{ labels: { __name__: 'g', b: '2' }, points: [[160, 2], [220, 3]] }])
    expect(store.select(byName('g'), 100, 100).map((s) => s.labels)).toEqual([{ __name__: 'g', a: '1' }, { __name__: 'g', b: '2' }])
    expect(store.latest(byName('g'), 0, 200)).toEqual([
      { labels: { __name__: 'g', a: '1' }, points: [[100, 5]] },
      { labels: { __name__: 'g', b: '2' }, points: [[160, 2]] },
    ])
  })

  it('refuses two series with the same labels', () => {
    expect(() => new GeneratedSeriesStore([{ metric: 'g', labels: {}, points: [] }, { metric: 'g', labels: {}, points: [] }])).toThrow(/same labels/)
  })
})

const ramp: Scenario = {
  id: 'test',
  title: 'test',
  description: '',
  durationMinutes: 60,
  alerts: [],
  series: [
    { metric: 'g', labels: {}, kind: 'gauge', value: (t) => t },
    { metric: 'c', labels: {}, kind: 'counter', value: (t) => (t < 0 ? 1 : 2) },
    { metric: 'silent', labels: {}, kind: 'gauge', value: () => 1, present: (t) => t < 10 || t >= 30 },
  ],
}

describe('ScenarioStore', () => {
  const startsAt = new Date('2026-11-22T06:00:30Z') // not on the minute grid
  const now = () => new Date('2026-11-22T07:00:00Z')
  const s0 = startsAt.getTime() / 1000

  it('samples on a 60 s grid aligned to the epoch, gauges at value(t) with t in minutes since the start', () => {
    const store = new ScenarioStore([{ scenario: ramp, startsAt }], { now })
    const [g] = store.select(byName('g'), s0, s0 + 180)
    expect(g.points.map(([t]) => t % 60)).toEqual([0, 0, 0])
    expect(g.points).toEqual([30, 90, 150].map((sinceStart) => [s0 + sinceStart, sinceStart / 60]))
  })

  it('integrates counters from a fixed origin, so rate() gives value(t) and totals do not depend on earlier queries', () => {
    const fresh = () => new ScenarioStore([{ scenario: ramp, startsAt }], { now, historyDays: 2 })
    const warm = fresh()
    warm.select(byName('c'), s0 - 86_400, s0 + 3000) // walk through the history first
    const cold = fresh()
    const window = (store: ScenarioStore) => store.select(byName('c'), s0 + 600, s0 + 900)[0].points
    expect(window(cold)).toEqual(window(warm))
    // 2 days of 1/s before the start, then 2/s: the total at a grid time is the sum of rate x 60 s per sample
    const origin = Math.ceil((s0 - 2 * 86_400) / 60) * 60
    const [t, total] = window(cold)[0]
    const before = Math.ceil(s0 / 60) * 60 - 60 // the last grid time before the start (t < 0)
    expect(total).toBeCloseTo((before - origin) * 1 + (t - before) * 2, 6)
    const rate = evaluateInstant('rate(c[5m])', cold, new Date((s0 + 1800) * 1000))
    expect(rate.resultType === 'vector' && rate.samples[0].value).toBeCloseTo(2, 9)
    expect(cold.select(byName('c'), origin - 600, origin)[0].points).toEqual([[origin, 0]])
    expect(cold.select(byName('c'), origin - 600, origin - 1)).toEqual([])
  })

  it('has no sample while the series is absent, so it goes stale after 5 minutes', () => {
    const store = new ScenarioStore([{ scenario: ramp, startsAt }], { now })
    const at = (minute: number) => new Date((s0 + minute * 60) * 1000)
    const silent = (minute: number) => evaluateInstant('silent', store, at(minute))
    expect(store.select(byName('silent'), s0 + 600, s0 + 1799)).toEqual([])
    expect(silent(12)).toMatchObject({ resultType: 'vector', samples: [{ value: 1 }] }) // last sample at 9.5
    expect(silent(15)).toEqual({ resultType: 'vector', samples: [] })
    expect(silent(31)).toMatchObject({ resultType: 'vector', samples: [{ value: 1 }] })
  })

  it('generates nothing after now', () => {
    const store = new ScenarioStore([{ scenario: ramp, startsAt }], { now })
    const [g] = store.select(byName('g'), s0, s0 + 86_400)
    expect(g.points.at(-1)![0]).toBe(now().getTime() / 1000)
  })

  it('gives the same gauges and counter increments as generateSeries on the same grid', () => {
    const end = new Date('2026-11-22T06:00:00Z')
    const generated = generateSeries(TOKEN_BUDGET, end)
    const start = end.getTime() / 1000 - TOKEN_BUDGET.durationMinutes * 60
    const store = new ScenarioStore([{ scenario: TOKEN_BUDGET, startsAt: new Date(start * 1000) }], { now: () => end })
    for (const metric of ['DCGM_FI_DEV_GPU_UTIL', 'vllm:request_success_total']) {
      const mine = store.select(byName(metric), start, end.getTime() / 1000)
      const theirs = generated.filter((g) => g.metric === metric)
      expect(mine).toHaveLength(theirs.length)
      for (const m of mine) {
        const g = theirs.find((x) => Object.entries(x.labels).every(([k, v]) => m.labels[k] === v))!
        const steps = (points: [number, number][]) => points.slice(1).map(([, v], i) => Math.round((v - points[i][1]) * 1000) / 1000)
        if (metric.endsWith('_total')) expect(steps(m.points)).toEqual(steps(g.points))
        else expect(m.points).toEqual(g.points)
      }
    }
  })

  it('puts several scenarios side by side, and refuses two that would make the same series', () => {
    const store = new ScenarioStore([{ scenario: ramp, startsAt }], { now })
    expect(store.select([labelMatcher('__name__', '=~', '.+')], s0, s0 + 60).map((s) => s.labels.__name__)).toEqual(['c', 'g', 'silent'])
    expect(() => new ScenarioStore([{ scenario: ramp, startsAt }, { scenario: ramp, startsAt: now() }])).toThrow(/same labels/)
  })

  it('warms up every counter in the background, to the same totals a query computes', async () => {
    const make = () => new ScenarioStore([{ scenario: SLOW_MODEL_LOADING, startsAt }], { now, historyDays: 3 })
    const warmed = make()
    await warmed.warmUp()
    const tokens = [...byName('vllm:generation_tokens_total'), labelMatcher('pod', '=', 'rag-chat-7d9f6c-0')]
    const window = (store: ScenarioStore) => store.select(tokens, s0 + 1200, s0 + 1500)
    expect(window(warmed)).toEqual(window(make()))
    expect(window(warmed)[0].points).toHaveLength(5)
  })
})
