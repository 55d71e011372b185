import { apiRoute } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { searchFailureError, searchTraces } from '@/lib/traces/sources'
import { parseTraceSearchParams } from '@/lib/traces/view'

/**
 * GET /api/traces?start&end&service&model&status&minDurationMs&maxDurationMs&attr=key:value&limit
 * → { traces: TraceSummary[], sourceErrors: { source, message }[] }, newest first, from every trace source.
 */
export const GET = apiRoute(async (request, { context }) => {
  requirePermission(context, 'console:read')
  const query = parseTraceSearchParams(request.nextUrl.searchParams)
  const result = await searchTraces(query)
  const failure = searchFailureError(result)
  if (failure) throw failure
  return { traces: result.traces, sourceErrors: result.sourceErrors.map(({ source, message }) => ({ source, message })) }
})
