import { describe, expect, it } from 'vitest'
import { sparkline } from './sparkline'

describe('a server-drawn budget line', () => {
  it('scales time across the width and value up the height, skipping missing points, with the zero line', () => {
    const line = sparkline([[0, 1], [50, null], [100, 0.5], [200, -1]], { width: 200, height: 100 }, { min: -1, max: 1 })
    expect(line.path).toBe('M0,0 L100,25 L200,100')
    expect(line.referenceY).toBe(50)
  })

  it('clamps values outside the range and draws nothing without data', () => {
    expect(sparkline([[0, 5], [10, -5]], { width: 10, height: 10 }, { min: 0, max: 1 }).path).toBe('M0,0 L10,10')
    expect(sparkline([], { width: 10, height: 10 }, { min: 0.5, max: 1 })).toEqual({ path: '', referenceY: null })
  })
})
