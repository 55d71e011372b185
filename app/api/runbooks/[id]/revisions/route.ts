import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { listRevisions, saveRevision } from '@/lib/runbooks'
import { runbookIdSchema } from '@/lib/runbooks/params'
import { saveRevisionSchema } from '@/lib/runbooks/schema'

export const GET = apiRoute<{ id: string }>(async (_request, { context, params }) => ({ revisions: await listRevisions(context, runbookIdSchema.parse(params.id)) }))

export const POST = apiRoute<{ id: string }>(async (request, { context, params }) => {
  const revision = await saveRevision(context, runbookIdSchema.parse(params.id), await readJson(request, saveRevisionSchema))
  return NextResponse.json({ revision }, { status: 201 })
})
