import { NextResponse } from 'next/server'
import { apiRoute, readJson, readQuery } from '@/lib/api/route'
import { createPostmortem, listPostmortems } from '@/lib/postmortems'
import { createPostmortemSchema, listPostmortemsQuerySchema } from '@/lib/postmortems/schemas'

/** Postmortems, newest first: ?status, incident (INC-42 or 42), case (CASE-7 or 7), q, limit. */
export const GET = apiRoute(async (request, { context }) => ({ postmortems: await listPostmortems(context, readQuery(request, listPostmortemsQuerySchema)) }))

/** Start the postmortem of a mitigated or resolved incident: { incidentNumber }. 409 when it already has one. */
export const POST = apiRoute(async (request, { context }) => {
  const { incidentNumber } = await readJson(request, createPostmortemSchema)
  return NextResponse.json({ postmortem: await createPostmortem(context, incidentNumber) }, { status: 201 })
})
