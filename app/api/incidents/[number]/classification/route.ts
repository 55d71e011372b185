import { apiRoute, readJson } from '@/lib/api/route'
import { classificationInputSchema } from '@/lib/classify/schemas'
import { classificationHistory, recordClassification } from '@/lib/classify/service'
import { incidentNumberSchema } from '@/lib/incidents/schemas'

/** Every revision of the incident's classification, newest first. */
export const GET = apiRoute<{ number: string }>(async (_request, { context, params }) => ({
  history: await classificationHistory(context, incidentNumberSchema.parse(params.number)),
}))

/** { basedOnRevision, steps: [{ step, answer | null, gatherId? }] }: records a revision; 409 if someone decided in between. */
export const POST = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const input = await readJson(request, classificationInputSchema)
  return recordClassification(context, incidentNumberSchema.parse(params.number), input)
})
