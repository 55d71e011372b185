import { z } from 'zod'
import { apiRoute, readQuery } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { AppError } from '@/lib/errors'
import { alignToInterval, backendHealth, chooseStep, getMetricsSource, MetricsSourceError, PANEL_REFRESH_MS } from '@/lib/telemetry'
import { checkPromql } from '@/lib/telemetry/promql'

const querySchema = z
  .object({
    query: z.string().min(1).max(10_000),
    start: z.coerce.date(),
    end: z.coerce.date(),
  })
  .refine((q) => q.end > q.start, 'end must be after start')
  .refine((q) => q.end.getTime() - q.start.getTime() <= 32 * 86_400_000, 'the range is at most 32 days')

export const GET = apiRoute(async (request, { context }) => {
  requirePermission(context, 'console:read')
  const { query, start, end: requestedEnd } = readQuery(request, querySchema)
  // a live panel ("until now") is rounded to the refresh interval, so all its viewers share one backend query
  const isLive = Date.now() - requestedEnd.getTime() < 60_000
  const end = isLive ? alignToInterval(requestedEnd, PANEL_REFRESH_MS) : requestedEnd
  const syntax = checkPromql(query)
  if (!syntax.ok) throw new AppError('bad_request', `The query does not parse: ${syntax.error}`)
  const source = getMetricsSource()
  if (!source) throw new AppError('unavailable', 'No metrics backend is configured: set PROMETHEUS_URL to show live charts.')
  try {
    const stepSeconds = chooseStep(start, end)
    // evaluate at `end` itself (Prometheus steps from start), so the newest point is "now", not up to a step earlier
    const steps = Math.floor((end.getTime() - start.getTime()) / 1000 / stepSeconds)
    const alignedStart = new Date(end.getTime() - steps * stepSeconds * 1000)
    const series = await source.queryRange(query, { start: alignedStart, end, stepSeconds })
    backendHealth.recordSuccess(source.name)
    return { source: source.name, stepSeconds, series: series.slice(0, 50) }
  } catch (error) {
    if (error instanceof MetricsSourceError && error.kind === 'query') throw new AppError('bad_request', error.message)
    if (error instanceof MetricsSourceError) {
      const down = backendHealth.recordFailure(source.name, error.message)
      throw new AppError('unavailable', error.message, { retryAfterSeconds: 10, details: down })
    }
    throw error
  }
})
