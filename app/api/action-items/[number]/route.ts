import { apiRoute, readJson } from '@/lib/api/route'
import { deleteActionItem, updateActionItem } from '@/lib/postmortems'
import { actionItemNumberSchema, updateActionItemSchema } from '@/lib/postmortems/schemas'

type Params = { number: string }

/** { title?, ownerId? (null: unassign), dueDate? (null: none), priority?, status? }: only the fields sent change. */
export const PATCH = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, updateActionItemSchema)
  return { actionItem: await updateActionItem(context, actionItemNumberSchema.parse(params.number), input) }
})

export const DELETE = apiRoute<Params>(async (_request, { context, params }) => {
  await deleteActionItem(context, actionItemNumberSchema.parse(params.number))
  return { deleted: true }
})
