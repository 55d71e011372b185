import { describe, expect, it } from 'vitest'
import { BackendHealth } from './backend-health'

describe('backend health', () => {
  it('remembers when an outage began, updates its reason, and forgets it on the first success', () => {
    const health = new BackendHealth()
    const first = new Date('2026-11-22T03:12:00Z')
    health.recordFailure('Prometheus', 'Prometheus is unreachable', first)
    const later = health.recordFailure('Prometheus', 'Prometheus did not answer within 10 s', new Date('2026-11-22T03:14:00Z'))
    expect(later).toEqual({ backend: 'Prometheus', downSince: first.toISOString(), error: 'Prometheus did not answer within 10 s' })
    health.recordSuccess('Prometheus')
    expect(health.status('Prometheus')).toBeNull()
    expect(health.recordFailure('Prometheus', 'again', new Date('2026-11-22T04:00:00Z')).downSince).toBe('2026-11-22T04:00:00.000Z')
  })
})
