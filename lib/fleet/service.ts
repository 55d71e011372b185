/**
 * The fleet view as the API serves it: which backend answered, whether its data is generated, and, when the backend
 * is down, an `unavailable` error that says which backend, since when and why, for the page to show beside the last
 * data it had.
 */
import { AppError } from '@/lib/errors'
import type { BackendHealth } from '@/lib/telemetry/backend-health'
import { MetricsSourceError, type MetricsSource } from '@/lib/telemetry/metrics-source'
import type { FleetConfig } from './config'
import { loadFleet } from './load'
import type { FleetResponse } from './types'

export const FLEET_RETRY_AFTER_SECONDS = 10

export async function fleetResponse(source: MetricsSource | null, config: FleetConfig, at: Date, pipeline: string | null, health: BackendHealth): Promise<FleetResponse> {
  if (!source) throw new AppError('unavailable', 'No metrics backend is configured: set PROMETHEUS_URL to show the fleet view.')
  try {
    const { view, failed } = await loadFleet(source, config, at, { pipeline })
    health.recordSuccess(source.name)
    return {
      ...view,
      source: source.name,
      isDemo: source.isDemo ?? false,
      failed,
      windows: { rate: config.windows.rate, restarts: config.windows.restarts, livenessLookbackMinutes: config.windows.livenessLookbackMinutes },
      thresholds: { gpuMemoryShare: config.thresholds.gpuMemoryShare, kvCacheUsage: config.thresholds.kvCacheUsage },
    }
  } catch (error) {
    if (error instanceof MetricsSourceError) {
      const down = health.recordFailure(source.name, error.message)
      throw new AppError('unavailable', error.message, { retryAfterSeconds: FLEET_RETRY_AFTER_SECONDS, details: down })
    }
    throw error
  }
}
