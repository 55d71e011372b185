import { apiRoute, readJson } from '@/lib/api/route'
import { linkIncident } from '@/lib/cases'
import { caseNumberSchema, linkIncidentSchema } from '@/lib/cases/schemas'

/** Link an incident: { incidentNumber }. Linking twice changes nothing. */
export const POST = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const { incidentNumber } = await readJson(request, linkIncidentSchema)
  return { case: await linkIncident(context, caseNumberSchema.parse(params.number), incidentNumber) }
})
