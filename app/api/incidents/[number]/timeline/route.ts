import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { addTimelineEntry } from '@/lib/incidents'
import { incidentNumberSchema, timelineEntrySchema } from '@/lib/incidents/schemas'

export const POST = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const number = incidentNumberSchema.parse(params.number)
  return NextResponse.json({ entry: await addTimelineEntry(context, number, await readJson(request, timelineEntrySchema)) }, { status: 201 })
})
