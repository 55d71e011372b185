import { apiRoute } from '@/lib/api/route'
import { refreshFacts } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

/** Take the facts again (SLO impact, classification, runbook progress, alerts); the written content is not touched. */
export const POST = apiRoute<{ number: string }>(async (_request, { context, params }) => ({ postmortem: await refreshFacts(context, postmortemNumberSchema.parse(params.number)) }))
