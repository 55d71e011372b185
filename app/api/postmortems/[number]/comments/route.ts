import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { addComment, listComments } from '@/lib/postmortems'
import { commentSchema, postmortemNumberSchema } from '@/lib/postmortems/schemas'

type Params = { number: string }

export const GET = apiRoute<Params>(async (_request, { context, params }) => ({ comments: await listComments(context, postmortemNumberSchema.parse(params.number)) }))

/** { section: a section key or null for the whole document, body } */
export const POST = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, commentSchema)
  return NextResponse.json({ comment: await addComment(context, postmortemNumberSchema.parse(params.number), input) }, { status: 201 })
})
