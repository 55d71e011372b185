import { describe, expect, it } from 'vitest'
import { timestampsForStatus } from './transitions'

const now = new Date('2026-11-20T04:00:00Z')
const earlier = new Date('2026-11-20T03:10:00Z')
const none = { acknowledgedAt: null, mitigatedAt: null, resolvedAt: null }

describe('status timestamps', () => {
  it('acknowledging stamps acknowledgedAt once', () => {
    expect(timestampsForStatus(none, 'acknowledged', now)).toEqual({ acknowledgedAt: now, mitigatedAt: null, resolvedAt: null })
    expect(timestampsForStatus({ ...none, acknowledgedAt: earlier }, 'investigating', now).acknowledgedAt).toBe(earlier)
  })

  it('resolving straight from triggered fills acknowledge and mitigate too', () => {
    expect(timestampsForStatus(none, 'resolved', now)).toEqual({ acknowledgedAt: now, mitigatedAt: now, resolvedAt: now })
  })

  it('reopening clears the resolution but keeps the earlier steps', () => {
    const resolved = { acknowledgedAt: earlier, mitigatedAt: earlier, resolvedAt: earlier }
    expect(timestampsForStatus(resolved, 'investigating', now)).toEqual({ acknowledgedAt: earlier, mitigatedAt: earlier, resolvedAt: null })
  })
})
