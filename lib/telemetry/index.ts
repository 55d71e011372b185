import 'server-only'
import { BackendHealth } from './backend-health'
import type { MetricsSource } from './metrics-source'
import { PrometheusSource } from './prometheus'

export { MetricsSourceError, chooseStep } from './metrics-source'
export type { MetricsSource, RangeSeries } from './metrics-source'

/** The configured metrics backend, or null when none is set. Backend URLs come from configuration, never a request. */
export function getMetricsSource(): MetricsSource | null {
  const url = process.env.PROMETHEUS_URL?.trim()
  if (!url) return null
  return new PrometheusSource({
    url,
    bearerToken: process.env.PROMETHEUS_BEARER_TOKEN || undefined,
    basicAuth: process.env.PROMETHEUS_USERNAME ? { username: process.env.PROMETHEUS_USERNAME, password: process.env.PROMETHEUS_PASSWORD ?? '' } : undefined,
    timeoutMs: Number(process.env.PROMETHEUS_TIMEOUT_MS ?? 10_000),
  })
}

const globalForHealth = globalThis as unknown as { firebreakBackendHealth?: BackendHealth }
/** One health record per process for all backends. */
export const backendHealth = (globalForHealth.firebreakBackendHealth ??= new BackendHealth())
