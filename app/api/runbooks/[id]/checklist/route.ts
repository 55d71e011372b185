import { z } from 'zod'
import { apiRoute, readJson, readQuery } from '@/lib/api/route'
import { getChecklist, setChecklistTick } from '@/lib/runbooks'
import { runbookIdSchema } from '@/lib/runbooks/params'
import { tickSchema } from '@/lib/runbooks/schema'

const querySchema = z.object({ incident: z.coerce.number().int().min(1) })

export const GET = apiRoute<{ id: string }>(async (request, { context, params }) =>
  getChecklist(context, runbookIdSchema.parse(params.id), readQuery(request, querySchema).incident),
)

export const POST = apiRoute<{ id: string }>(async (request, { context, params }) => ({
  tick: await setChecklistTick(context, runbookIdSchema.parse(params.id), await readJson(request, tickSchema)),
}))
