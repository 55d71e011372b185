import 'server-only'
import { alignToInterval, backendHealth, getMetricsSource, MetricsSourceError, PANEL_REFRESH_MS } from '@/lib/telemetry'
import type { BackendDown } from '@/lib/telemetry/backend-health'
import { evaluateSlo, type SloStatus } from './evaluate'
import type { StoredSlo } from './service'

export interface TelemetryState {
  source: string | null
  isDemo: boolean
  /** why statuses are missing: no backend configured, or the backend is down (since when) */
  problem: { message: string; down?: BackendDown } | null
}

/**
 * The status of every SLO at one instant (rounded to the refresh interval, so viewers share the backend queries).
 * An outage does not fail the list: definitions still show, with the outage explained.
 */
export async function statusesOf(slos: StoredSlo[], now = new Date()): Promise<{ statuses: Record<string, SloStatus | null>; errors: Record<string, string>; telemetry: TelemetryState }> {
  const source = getMetricsSource()
  if (!source) return { statuses: {}, errors: {}, telemetry: { source: null, isDemo: false, problem: { message: 'No metrics backend is configured: set PROMETHEUS_URL to evaluate SLOs.' } } }
  const at = alignToInterval(now, PANEL_REFRESH_MS)
  const statuses: Record<string, SloStatus | null> = {}
  const errors: Record<string, string> = {}
  let down: BackendDown | undefined
  await Promise.all(
    slos.map(async (slo) => {
      try {
        statuses[slo.name] = await evaluateSlo(source, slo, at)
      } catch (error) {
        if (!(error instanceof MetricsSourceError)) throw error
        statuses[slo.name] = null
        errors[slo.name] = error.message
        if (error.kind === 'backend') down = backendHealth.recordFailure(source.name, error.message)
      }
    }),
  )
  if (!down && slos.length > 0 && Object.keys(errors).length < slos.length) backendHealth.recordSuccess(source.name)
  return {
    statuses,
    errors,
    telemetry: { source: source.name, isDemo: source.isDemo ?? false, problem: down ? { message: down.error, down } : null },
  }
}
