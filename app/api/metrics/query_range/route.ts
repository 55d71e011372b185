import { z } from 'zod'
import { apiRoute, readQuery } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { AppError } from '@/lib/errors'
import { alignToInterval, chooseStep, PANEL_REFRESH_MS, readTelemetry } from '@/lib/telemetry'
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
  const stepSeconds = chooseStep(start, end)
  // evaluate at `end` itself (Prometheus steps from start), so the newest point is "now", not up to a step earlier
  const steps = Math.floor((end.getTime() - start.getTime()) / 1000 / stepSeconds)
  const alignedStart = new Date(end.getTime() - steps * stepSeconds * 1000)
  const { source, isDemo, value } = await readTelemetry((metrics) => metrics.queryRange(query, { start: alignedStart, end, stepSeconds }))
  return { source, isDemo, stepSeconds, series: value.slice(0, 50) }
})
