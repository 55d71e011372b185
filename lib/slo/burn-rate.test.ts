/**
 * Cases computed by hand from the SRE workbook's definitions ("Alerting on SLOs"): a 99.9 % SLO over 30 days has a
 * 0.1 % error budget; burn rate = error ratio / budget; budget spent by a window = burn rate x window / 30 days.
 */
import { describe, expect, it } from 'vitest'
import { budgetConsumed, budgetRemaining, burnRate, errorBudget, evaluateBurnRates, hoursToExhaustion, SRE_WORKBOOK_RULES } from './burn-rate'

describe('error budget arithmetic', () => {
  it('a 99.9 % objective leaves a 0.1 % budget', () => {
    expect(errorBudget(0.999)).toBeCloseTo(0.001, 12)
    expect(() => errorBudget(99.9)).toThrow(/between 0 and 1/)
  })

  it('1.44 % errors against a 99.9 % objective burn 14.4 times too fast', () => {
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 9)
  })

  it('the workbook thresholds spend 2 %, 5 % and 10 % of a 30-day budget', () => {
    // 14.4 x 1 h / 720 h = 0.02; 6 x 6 h / 720 h = 0.05; 1 x 72 h / 720 h = 0.10
    expect(budgetConsumed(0.0144, 0.999, 1)).toBeCloseTo(0.02, 9)
    expect(budgetConsumed(0.006, 0.999, 6)).toBeCloseTo(0.05, 9)
    expect(budgetConsumed(0.001, 0.999, 72)).toBeCloseTo(0.1, 9)
  })

  it('half the allowed errors over the period leave half the budget; twice leaves minus one budget', () => {
    expect(budgetRemaining(0.0005, 0.999)).toBeCloseTo(0.5, 9)
    expect(budgetRemaining(0.002, 0.999)).toBeCloseTo(-1, 9)
  })

  it('at 14.4x, a full 30-day budget lasts 50 hours', () => {
    // 720 h / 14.4 = 50 h
    expect(hoursToExhaustion(1, 14.4)).toBeCloseTo(50, 9)
    expect(hoursToExhaustion(0.5, 0)).toBe(Infinity)
  })
})

describe('multi-window, multi-burn-rate status', () => {
  const objective = 0.999

  it('pages when both the 1 h and 5 m windows burn above 14.4x', () => {
    const statuses = evaluateBurnRates({ '5m': 0.02, '1h': 0.015, '30m': 0.004, '6h': 0.003 }, objective)
    expect(statuses.map((s) => [s.rule.severity, s.rule.factor, s.isFiring])).toEqual([
      ['page', 14.4, true],
      ['page', 6, false],
      ['ticket', 3, false],
      ['ticket', 1, false],
    ])
    expect(statuses[0].longBurnRate).toBeCloseTo(15, 9)
  })

  it('stops paging once the short window recovers, even though the long window still remembers the spike', () => {
    const [fast] = evaluateBurnRates({ '5m': 0.0002, '1h': 0.015 }, objective)
    expect(fast.isFiring).toBe(false)
  })

  it('opens a ticket for a slow 1x burn over 3 days and 6 hours', () => {
    const statuses = evaluateBurnRates({ '3d': 0.0012, '6h': 0.0011, '1d': 0.0011, '2h': 0.001 }, objective)
    expect(statuses.filter((s) => s.isFiring).map((s) => `${s.rule.severity} ${s.rule.factor}x`)).toEqual(['ticket 1x'])
  })

  it('does not page on tiny traffic, and says why', () => {
    const [fast] = evaluateBurnRates({ '5m': 0.5, '1h': 0.5 }, objective, { shortWindowEvents: { '5m': 4 }, minEvents: 50 })
    expect(fast.isFiring).toBe(false)
    expect(fast.suppressedBy).toBe('only 4 events in 5m (minimum 50)')
  })

  it('treats a missing window as not firing rather than guessing', () => {
    expect(evaluateBurnRates({ '5m': 0.5 }, objective)[0]).toMatchObject({ isFiring: false, longBurnRate: null })
  })

  it('uses the workbook windows', () => {
    expect(SRE_WORKBOOK_RULES.map((r) => `${r.factor}:${r.long}/${r.short}`)).toEqual(['14.4:1h/5m', '6:6h/30m', '3:1d/2h', '1:3d/6h'])
  })
})
