import { apiRoute, readQuery } from '@/lib/api/route'
import { wizardQuerySchema } from '@/lib/classify/schemas'
import { proposeForIncident } from '@/lib/classify/service'
import { incidentNumberSchema } from '@/lib/incidents/schemas'

/** ?step=errorState|pathway|failureClass (&errorState=&pathway= once decided): the evidence and the proposal. */
export const GET = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const query = readQuery(request, wizardQuerySchema)
  return proposeForIncident(context, incidentNumberSchema.parse(params.number), query.step, { errorState: query.errorState, pathway: query.pathway })
})
