import { apiRoute, readJson } from '@/lib/api/route'
import { transitionPostmortem } from '@/lib/postmortems'
import { postmortemNumberSchema, transitionSchema } from '@/lib/postmortems/schemas'

/** { action: submit | return | publish, version }: the version is the one the person read. */
export const POST = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const input = await readJson(request, transitionSchema)
  return { postmortem: await transitionPostmortem(context, postmortemNumberSchema.parse(params.number), input) }
})
