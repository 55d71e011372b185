import { apiRoute } from '@/lib/api/route'
import { getCaseSpan } from '@/lib/cases'
import { caseNumberSchema } from '@/lib/cases/schemas'
import { parseSpanIdParam } from '@/lib/traces/view'

/** One span of the case's snapshot, with its model call: the span detail beside the case's waterfall. */
export const GET = apiRoute<{ number: string; spanId: string }>(async (_request, { context, params }) => ({
  ...(await getCaseSpan(context, caseNumberSchema.parse(params.number), parseSpanIdParam(params.spanId))),
}))
