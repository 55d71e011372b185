import { NextResponse } from 'next/server'
import { apiRoute, readJson, readQuery } from '@/lib/api/route'
import { listCases, pinCase } from '@/lib/cases'
import { listCasesQuerySchema, pinCaseSchema } from '@/lib/cases/schemas'

/** The library: ?q, category, model, pipeline, tag, from, to (trace start, UTC days), incident, page, pageSize. */
export const GET = apiRoute(async (request, { context }) => listCases(context, readQuery(request, listCasesQuerySchema)))

/** Pin a trace as a case: { traceId, title, category, notes?, tags?, incidentNumbers? }. */
export const POST = apiRoute(async (request, { context }) => {
  const input = await readJson(request, pinCaseSchema)
  return NextResponse.json({ case: await pinCase(context, input) }, { status: 201 })
})
