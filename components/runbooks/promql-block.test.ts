import { describe, expect, it } from 'vitest'
import { resolveRange } from './promql-block'

const now = Date.parse('2026-11-22T03:00:00Z')

describe('panel time ranges', () => {
  it('slides a relative window with the clock', () => {
    expect(resolveRange({ durationMs: 3_600_000, label: '' }, now)).toEqual({ start: '2026-11-22T02:00:00.000Z', end: '2026-11-22T03:00:00.000Z' })
  })

  it('keeps an open incident’s start and runs to now', () => {
    expect(resolveRange({ start: '2026-11-22T01:30:00Z', label: '' }, now)).toEqual({ start: '2026-11-22T01:30:00.000Z', end: '2026-11-22T03:00:00.000Z' })
  })

  it('fixes both ends for a resolved incident', () => {
    expect(resolveRange({ start: '2026-11-21T01:00:00Z', end: '2026-11-21T02:00:00Z', label: '' }, now)).toEqual({ start: '2026-11-21T01:00:00.000Z', end: '2026-11-21T02:00:00.000Z' })
  })
})
