import { apiRoute, readJson } from '@/lib/api/route'
import { citeCase } from '@/lib/postmortems'
import { citeCaseSchema, postmortemNumberSchema } from '@/lib/postmortems/schemas'

/** Cite a traced case: { caseNumber } (7 or CASE-7). Citing twice changes nothing. */
export const POST = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const { caseNumber } = await readJson(request, citeCaseSchema)
  return { postmortem: await citeCase(context, postmortemNumberSchema.parse(params.number), caseNumber) }
})
