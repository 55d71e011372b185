import { apiRoute, readJson } from '@/lib/api/route'
import { getIncident, updateIncident } from '@/lib/incidents'
import { incidentNumberSchema, updateIncidentSchema } from '@/lib/incidents/schemas'

type Params = { number: string }

export const GET = apiRoute<Params>(async (_request, { context, params }) => getIncident(context, incidentNumberSchema.parse(params.number)))

export const PATCH = apiRoute<Params>(async (request, { context, params }) => {
  const number = incidentNumberSchema.parse(params.number)
  return { incident: await updateIncident(context, number, await readJson(request, updateIncidentSchema)) }
})
