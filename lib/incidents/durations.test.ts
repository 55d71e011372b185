import { describe, expect, it } from 'vitest'
import { formatDuration, incidentDurations } from './durations'

const t = (iso: string) => new Date(`2026-11-20T${iso}Z`)

describe('incident durations', () => {
  it('measures detect from start, acknowledge from detection, mitigate and resolve from start', () => {
    const d = incidentDurations(
      { startedAt: t('03:00:00'), detectedAt: t('03:02:00'), acknowledgedAt: t('03:05:30'), mitigatedAt: t('03:40:00'), resolvedAt: t('05:00:00') },
      t('06:00:00'),
    )
    expect(d).toEqual({ toDetectMs: 120_000, toAcknowledgeMs: 210_000, toMitigateMs: 2_400_000, toResolveMs: 7_200_000, openForMs: 7_200_000 })
  })

  it('keeps counting an open incident against now and leaves missing steps empty', () => {
    const d = incidentDurations({ startedAt: t('03:00:00'), detectedAt: t('03:00:00'), acknowledgedAt: null, mitigatedAt: null, resolvedAt: null }, t('03:30:00'))
    expect(d.toAcknowledgeMs).toBeNull()
    expect(d.openForMs).toBe(1_800_000)
  })

  it('formats for a list column', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(12 * 60_000 + 59_000)).toBe('12m')
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3h 05m')
    expect(formatDuration(52 * 3_600_000)).toBe('2d 4h')
  })
})
