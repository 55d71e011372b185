import 'server-only'
import { DemoStorySource } from '@/lib/demo/source'
import { AppError } from '@/lib/errors'
import { BackendHealth } from './backend-health'
import { CoalescingMetricsSource } from './coalesce'
import { MetricsSourceError, type MetricsSource } from './metrics-source'
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
  if (!url) {
    if (process.env.FIREBREAK_DEMO_TELEMETRY !== '1') return null
    // the demo: scenarios through the demo MetricsSource, cached like a real backend so the figures match
    const current = globalForSources.firebreakMetricsSource
    if (current?.url === 'demo') return current.source
    const source = new CoalescingMetricsSource(new DemoStorySource(), PANEL_REFRESH_MS)
    globalForSources.firebreakMetricsSource = { url: 'demo', source }
    return source
  }
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

/**
 * Runs a read against the configured metrics backend the way every telemetry route does: a clear 503 when none is
 * configured, the backend's health recorded (so panels can say "down since"), a bad query as the caller's 400, and an
 * outage as 503 with Retry-After and { backend, downSince } for the panel.
 */
export async function readTelemetry<T>(read: (source: MetricsSource) => Promise<T>): Promise<{ source: string; isDemo: boolean; value: T }> {
  const source = getMetricsSource()
  if (!source) throw new AppError('unavailable', 'No metrics backend is configured: set PROMETHEUS_URL to show live telemetry.')
  try {
    const value = await read(source)
    backendHealth.recordSuccess(source.name)
    return { source: source.name, isDemo: source.isDemo ?? false, value }
  } catch (error) {
    if (error instanceof MetricsSourceError && error.kind === 'query') throw new AppError('bad_request', error.message)
    if (error instanceof MetricsSourceError) {
      const down = backendHealth.recordFailure(source.name, error.message)
      throw new AppError('unavailable', error.message, { retryAfterSeconds: 10, details: down })
    }
    throw error
  }
}
