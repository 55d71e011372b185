import { describe, expect, it } from 'vitest'
import { formatEvidence } from './format'

describe('formatEvidence', () => {
  it('shows a share just over its threshold as over it, not rounded onto it', () => {
    expect(formatEvidence(0.951, 'share')).toBe('95.1 %')
    expect(formatEvidence(0.95, 'share')).toBe('95 %')
    expect(formatEvidence(0.9800048828125, 'share')).toBe('98 %')
  })
  it('keeps units and drops float noise', () => {
    expect(formatEvidence(5.804253852581454, 's')).toBe('5.8 s')
    expect(formatEvidence(3, 'restarts')).toBe('3 restarts')
    expect(formatEvidence(null, 's')).toBe('no data')
  })
})
