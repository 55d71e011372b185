import { describe, expect, it } from 'vitest'
import { AppError, toErrorBody } from '@/lib/errors'
import { BackendHealth } from '@/lib/telemetry/backend-health'
import { MetricsSourceError, type MetricsSource } from '@/lib/telemetry/metrics-source'
import { DEFAULT_FLEET_CONFIG } from './config'
import { fleetResponse } from './service'

const AT = new Date('2026-11-22T04:30:00Z')

function source(options: { down?: boolean; name?: string; isDemo?: boolean } = {}): MetricsSource {
  const answer = async () => {
    if (options.down) throw new MetricsSourceError('Prometheus is unreachable', 'backend')
    return []
  }
  return { name: options.name ?? 'Prometheus', isDemo: options.isDemo, queryInstant: answer, queryRange: answer, series: async () => [] }
}

describe('the fleet API response', () => {
  it('says which source answered and whether its data is generated', async () => {
    const response = await fleetResponse(source({ name: 'Demo data', isDemo: true }), DEFAULT_FLEET_CONFIG, AT, null, new BackendHealth())
    expect(response).toMatchObject({ source: 'Demo data', isDemo: true, at: AT.toISOString(), failed: [], windows: { rate: '5m', restarts: '1h', livenessLookbackMinutes: 60 }, thresholds: { gpuMemoryShare: 0.95, kvCacheUsage: 0.95 } })
  })

  it('is a 503 naming PROMETHEUS_URL when no metrics backend is configured', async () => {
    const error = await fleetResponse(null, DEFAULT_FLEET_CONFIG, AT, null, new BackendHealth()).catch((e) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(toErrorBody(error)).toMatchObject({ status: 503, body: { error: { code: 'unavailable', message: 'No metrics backend is configured: set PROMETHEUS_URL to show the fleet view.' } } })
  })

  it('is a 503 with Retry-After, the backend and since when it is down, and no stack', async () => {
    const health = new BackendHealth()
    health.recordFailure('Prometheus', 'Prometheus is unreachable', new Date('2026-11-22T04:12:00Z'))
    const error = await fleetResponse(source({ down: true }), DEFAULT_FLEET_CONFIG, AT, null, health).catch((e) => e)
    const { status, headers, body } = toErrorBody(error)
    expect(status).toBe(503)
    expect(headers).toEqual({ 'Retry-After': '10' })
    expect(body).toEqual({ error: { code: 'unavailable', message: 'Prometheus is unreachable', details: { backend: 'Prometheus', downSince: '2026-11-22T04:12:00.000Z', error: 'Prometheus is unreachable' } } })
  })

  it('clears the outage once the backend answers', async () => {
    const health = new BackendHealth()
    health.recordFailure('Prometheus', 'Prometheus is unreachable')
    await fleetResponse(source(), DEFAULT_FLEET_CONFIG, AT, null, health)
    expect(health.status('Prometheus')).toBeNull()
  })
})
