import { apiRoute } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { getTraceConfig } from '@/lib/traces/config'
import { openTrace, traceLookupError } from '@/lib/traces/sources'
import { parseTraceIdParam, toTraceView } from '@/lib/traces/view'

type Params = { traceId: string }

/**
 * GET /api/traces/{traceId} → { source, traceId, partial, spanCount, startUs, durationUs, spans: CompactSpan[],
 * findings, sourceErrors }. The trace is redacted before anything is computed from it or sent.
 */
export const GET = apiRoute<Params>(async (_request, { context, params }) => {
  requirePermission(context, 'console:read')
  const traceId = parseTraceIdParam(params.traceId)
  const result = await openTrace(traceId)
  if (!result.found) throw traceLookupError(traceId, result)
  const { opened } = result
  opened.view ??= toTraceView({
    trace: opened.trace,
    config: getTraceConfig(),
    findings: opened.findings,
    sourceErrors: opened.sourceErrors.map(({ source, message }) => ({ source, message })),
  })
  return opened.view
})
