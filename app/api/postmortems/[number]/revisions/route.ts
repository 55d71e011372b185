import { apiRoute } from '@/lib/api/route'
import { listRevisions } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

export const GET = apiRoute<{ number: string }>(async (_request, { context, params }) => ({ revisions: await listRevisions(context, postmortemNumberSchema.parse(params.number)) }))
