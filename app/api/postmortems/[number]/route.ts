import { apiRoute, readJson } from '@/lib/api/route'
import { getPostmortem, savePostmortem } from '@/lib/postmortems'
import { postmortemNumberSchema, savePostmortemSchema } from '@/lib/postmortems/schemas'

type Params = { number: string }

export const GET = apiRoute<Params>(async (_request, { context, params }) => ({ postmortem: await getPostmortem(context, postmortemNumberSchema.parse(params.number)) }))

/** { version, title, content }: 409 with error.details.current (the other save) when the version is stale. */
export const PUT = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, savePostmortemSchema)
  return { postmortem: await savePostmortem(context, postmortemNumberSchema.parse(params.number), input) }
})
