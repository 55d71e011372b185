import { describe, expect, it } from 'vitest'
import { describeOutage } from './outage'

describe('the fleet view during a backend outage', () => {
  it('says which backend, since when, the error, and how old the data it still shows is', () => {
    expect(
      describeOutage({
        message: 'Prometheus is unreachable',
        details: { backend: 'Prometheus', downSince: '2026-11-22T03:12:40.000Z' },
        lastDataAt: Date.parse('2026-11-22T03:12:30Z'),
        now: Date.parse('2026-11-22T03:20:30Z'),
      }),
    ).toBe('Prometheus has not answered since 03:12 UTC. Prometheus is unreachable. Showing the last data Firebreak had, from 03:12 UTC (8 min old).')
  })

  it('says when there is nothing earlier to show, and that it keeps trying', () => {
    expect(describeOutage({ message: 'No metrics backend is configured: set PROMETHEUS_URL to show the fleet view.', now: 0 })).toBe(
      'No metrics backend is configured: set PROMETHEUS_URL to show the fleet view. Firebreak has no earlier data to show; it keeps trying every 15 s.',
    )
  })
})
