import 'server-only'
import { BackendHealth } from './backend-health'
import { CoalescingMetricsSource } from './coalesce'
import type { MetricsSource } from './metrics-source'
import { PrometheusSource } from './prometheus'

export { alignToInterval } from './coalesce'
export { MetricsSourceError, chooseStep } from './metrics-source'
export type { MetricsSource, RangeSeries } from './metrics-source'

export const PANEL_REFRESH_MS = 15_000

const globalForSources = globalThis as unknown as { firebreakMetricsSource?: { url: string; source: MetricsSource } }

/**
 * The configured metrics backend, shared by every request in this process (so identical panel queries coalesce), or
 * null when none is set. Backend URLs come from configuration, never from a request.
 */
export function getMetricsSource(): MetricsSource | null {
  const url = process.env.PROMETHEUS_URL?.trim()
  if (!url) return null
  const current = globalForSources.firebreakMetricsSource
  if (current?.url === url) return current.source
  const source = new CoalescingMetricsSource(createPrometheusSource(url), PANEL_REFRESH_MS)
  globalForSources.firebreakMetricsSource = { url, source }
  return source
}

function createPrometheusSource(url: string): MetricsSource {
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
