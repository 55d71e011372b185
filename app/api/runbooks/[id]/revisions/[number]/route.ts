import { z } from 'zod'
import { apiRoute, readJson } from '@/lib/api/route'
import { publishRevision, restoreRevision, submitRevision } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'

const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit') }),
  z.object({ action: z.literal('publish') }),
  z.object({ action: z.literal('restore'), baseRevision: z.number().int().min(0) }),
])

export const POST = apiRoute<{ id: string; number: string }>(async (request, { context, params }) => {
  const id = runbookIdSchema.parse(params.id)
  const number = revisionNumberSchema.parse(params.number)
  const input = await readJson(request, actionSchema)
  if (input.action === 'submit') return { revision: await submitRevision(context, id, number) }
  if (input.action === 'publish') return { revision: await publishRevision(context, id, number) }
  return { revision: await restoreRevision(context, id, number, input.baseRevision) }
})
