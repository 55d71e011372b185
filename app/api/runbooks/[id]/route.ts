import { z } from 'zod'
import { apiRoute, readQuery } from '@/lib/api/route'
import { getRunbook } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'

const querySchema = z.object({ revision: revisionNumberSchema.optional() })

export const GET = apiRoute<{ id: string }>(async (request, { context, params }) =>
  getRunbook(context, runbookIdSchema.parse(params.id), readQuery(request, querySchema).revision),
)
