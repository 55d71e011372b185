import { z } from 'zod'
import { apiRoute, readQuery } from '@/lib/api/route'
import { diffRevisions } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'

const querySchema = z.object({ from: revisionNumberSchema, to: revisionNumberSchema })

export const GET = apiRoute<{ id: string }>(async (request, { context, params }) => {
  const { from, to } = readQuery(request, querySchema)
  return diffRevisions(context, runbookIdSchema.parse(params.id), from, to)
})
