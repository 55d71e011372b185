import { apiRoute, readQuery } from '@/lib/api/route'
import { listIncidentAlerts } from '@/lib/incidents'
import { alertsQuerySchema, incidentNumberSchema } from '@/lib/incidents/schemas'

export const GET = apiRoute<{ number: string }>(async (request, { context, params }) =>
  listIncidentAlerts(context, incidentNumberSchema.parse(params.number), readQuery(request, alertsQuerySchema)),
)
