import { apiRoute } from '@/lib/api/route'
import { unlinkIncident } from '@/lib/cases'
import { caseNumberSchema, incidentRefSchema } from '@/lib/cases/schemas'

export const DELETE = apiRoute<{ number: string; incident: string }>(async (_request, { context, params }) => ({
  case: await unlinkIncident(context, caseNumberSchema.parse(params.number), incidentRefSchema.parse(params.incident)),
}))
