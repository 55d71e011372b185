import { apiRoute, readJson } from '@/lib/api/route'
import { deleteCase, getCase, updateCase } from '@/lib/cases'
import { caseNumberSchema, updateCaseSchema } from '@/lib/cases/schemas'

type Params = { number: string }

/** The case, its snapshot trace and the detectors' findings on it. */
export const GET = apiRoute<Params>(async (_request, { context, params }) => getCase(context, caseNumberSchema.parse(params.number)))

/** { version, title?, category?, notes?, tags? }: 409 with the current case when someone saved in between. */
export const PATCH = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, updateCaseSchema)
  return { case: await updateCase(context, caseNumberSchema.parse(params.number), input) }
})

export const DELETE = apiRoute<Params>(async (_request, { context, params }) => {
  await deleteCase(context, caseNumberSchema.parse(params.number))
  return { deleted: true }
})
