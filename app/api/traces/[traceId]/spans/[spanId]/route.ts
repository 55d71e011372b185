import { apiRoute } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { AppError } from '@/lib/errors'
import { getTraceConfig } from '@/lib/traces/config'
import { openTrace, traceLookupError } from '@/lib/traces/sources'
import { parseSpanIdParam, parseTraceIdParam, toSpanDetail } from '@/lib/traces/view'

type Params = { traceId: string; spanId: string }

/** GET /api/traces/{traceId}/spans/{spanId} → { span (redacted), modelCall, children }: a waterfall row opened. */
export const GET = apiRoute<Params>(async (_request, { context, params }) => {
  requirePermission(context, 'console:read')
  const traceId = parseTraceIdParam(params.traceId)
  const spanId = parseSpanIdParam(params.spanId)
  const result = await openTrace(traceId)
  if (!result.found) throw traceLookupError(traceId, result)
  const span = result.opened.index.span(spanId)
  if (!span) throw new AppError('not_found', `Span ${spanId} is not in trace ${traceId} (as ${result.opened.source} has it).`)
  return toSpanDetail(span, result.opened.index, getTraceConfig())
})
