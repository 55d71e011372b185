import { describe, expect, it } from 'vitest'
import { percent } from './format'

describe('percent', () => {
  it('keeps the zeros of whole numbers: chart ticks read 100 %, 50 %, not 1 %, 5 %', () => {
    expect(percent(1, 0)).toBe('100 %')
    expect(percent(0.5, 0)).toBe('50 %')
    expect(percent(0.9, 0)).toBe('90 %')
    expect(percent(0, 0)).toBe('0 %')
  })
  it('drops trailing decimal zeros and keeps the digits an objective needs', () => {
    expect(percent(0.999)).toBe('99.9 %')
    expect(percent(0.99912, 3)).toBe('99.912 %')
    expect(percent(0.995, 2)).toBe('99.5 %')
    expect(percent(0.8966, 1)).toBe('89.7 %')
  })
  it('shows a dash for what is not a number', () => {
    expect(percent(null)).toBe('—')
    expect(percent(Number.NaN)).toBe('—')
    expect(percent(Number.POSITIVE_INFINITY)).toBe('—')
  })
})
