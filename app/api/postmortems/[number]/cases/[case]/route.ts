import { apiRoute } from '@/lib/api/route'
import { unciteCase } from '@/lib/postmortems'
import { caseRefSchema, postmortemNumberSchema } from '@/lib/postmortems/schemas'

export const DELETE = apiRoute<{ number: string; case: string }>(async (_request, { context, params }) => ({
  postmortem: await unciteCase(context, postmortemNumberSchema.parse(params.number), caseRefSchema.parse(params.case)),
}))
