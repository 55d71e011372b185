import { z } from 'zod'
import { apiRoute } from '@/lib/api/route'
import { getRevision } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

const versionSchema = z.coerce.number({ error: 'must be a version number' }).int().min(1).max(2_147_483_647)

export const GET = apiRoute<{ number: string; version: string }>(async (_request, { context, params }) => ({
  revision: await getRevision(context, postmortemNumberSchema.parse(params.number), versionSchema.parse(params.version)),
}))
