import { describe, expect, it } from 'vitest'
import { formatWindow, pyrraRules, windowHours } from './burn-rate'
import { pairByTime, rollingBudgetRemaining, thresholdErrorRatio } from './sli'

describe('threshold SLIs budgeted by time slices', () => {
  // GPU memory headroom: framebuffer share must stay below 0.95; ten one-minute slices, three of them at or over it
  const points: [number, number][] = [0.9, 0.91, 0.96, 0.97, 0.92, 0.95, 0.9, 0.9, 0.9, 0.9].map((v, i) => [60 * (i + 1), v])

  it('counts the slices where the condition failed', () => {
    expect(thresholdErrorRatio(points, 'lt', 0.95)).toBeCloseTo(3 / 10, 12)
    // lte lets 0.95 itself pass
    expect(thresholdErrorRatio(points, 'lte', 0.95)).toBeCloseTo(2 / 10, 12)
  })

  it('restricts the ratio to a window and says when the window holds no data', () => {
    // the last five slices (minutes 6..10): only 0.95 fails "lt 0.95"
    expect(thresholdErrorRatio(points, 'lt', 0.95, 300, 600)).toBeCloseTo(1 / 5, 12)
    expect(thresholdErrorRatio(points, 'lt', 0.95, 600, 900)).toBeNull()
  })
})

describe('error budget remaining over a rolling period', () => {
  it('matches the workbook definition computed by hand', () => {
    // objective 99 % (budget 1 %), period of 3 steps, 1,000 requests per step.
    // errors per step: 0, 10, 20, 0, 0
    // step 3: 30 bad of 3,000 = 1 % error ratio -> the whole budget spent -> remaining 0
    // step 4: 30 of 3,000 again (10 + 20 + 0) -> 0; step 5: 20 of 3,000 -> 1 - 0.667 = 0.333
    const steps = [0, 10, 20, 0, 0].map((bad, i) => ({ t: i + 1, bad, total: 1000 }))
    const remaining = rollingBudgetRemaining(steps, 3, 0.99).map(([, r]) => r)
    expect(remaining[0]).toBeCloseTo(1, 12)
    expect(remaining[1]).toBeCloseTo(0.5, 12) // 10 of 2,000 = 0.5 %: half the budget
    expect(remaining[2]).toBeCloseTo(0, 12)
    expect(remaining[3]).toBeCloseTo(0, 12)
    expect(remaining[4]).toBeCloseTo(1 - 20 / 3000 / 0.01, 12)
  })

  it('goes negative when the budget is overspent and is unknown without traffic', () => {
    const remaining = rollingBudgetRemaining([{ t: 1, bad: 0, total: 0 }, { t: 2, bad: 50, total: 1000 }], 10, 0.99)
    expect(remaining[0][1]).toBeNull()
    expect(remaining[1][1]).toBeCloseTo(-4, 12) // 5 % errors against a 1 % budget
  })

  it('pairs bad and total rates by timestamp', () => {
    expect(pairByTime([[1, 2], [3, 4]], [[1, 10], [2, 10], [3, 10]])).toEqual([{ t: 1, bad: 2, total: 10 }, { t: 3, bad: 4, total: 10 }])
  })
})

describe('burn-rate windows', () => {
  it('reads Prometheus durations', () => {
    expect(windowHours('5m')).toBeCloseTo(5 / 60, 12)
    expect(windowHours('3d')).toBe(72)
    expect(windowHours('64m')).toBeCloseTo(64 / 60, 12)
    expect(() => windowHours('soon')).toThrow('not a duration')
    expect(formatWindow(1440)).toBe('1d')
    expect(formatWindow(360)).toBe('6h')
  })

  it("uses Pyrra's windows for 28 days and scales them to 30 days", () => {
    expect(pyrraRules(28).map((r) => `${r.severity} ${r.factor}:${r.long}/${r.short}`)).toEqual(['page 14:1h/5m', 'page 7:6h/30m', 'ticket 2:1d/2h', 'ticket 1:4d/6h'])
    // 30/28 of each: 64m/5m, 386m/32m, 1543m/129m, 6171m/386m (rounded to the minute, as Pyrra does)
    expect(pyrraRules(30).map((r) => `${r.long}/${r.short}`)).toEqual(['64m/5m', '386m/32m', '1543m/129m', '6171m/386m'])
  })
})
