import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { createActionItem, listActionItems } from '@/lib/postmortems'
import { createActionItemSchema, listActionItemsQuerySchema, postmortemNumberSchema } from '@/lib/postmortems/schemas'

type Params = { number: string }

/** Every action item of this postmortem, whatever its status. */
export const GET = apiRoute<Params>(async (_request, { context, params }) =>
  listActionItems(context, listActionItemsQuerySchema.parse({ status: 'all', postmortem: postmortemNumberSchema.parse(params.number) })),
)

/** { title, ownerId?, dueDate? (YYYY-MM-DD), priority? (p0..p3, default p2), status? } */
export const POST = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, createActionItemSchema)
  return NextResponse.json({ actionItem: await createActionItem(context, postmortemNumberSchema.parse(params.number), input) }, { status: 201 })
})
