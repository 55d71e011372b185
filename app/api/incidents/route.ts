import { NextResponse } from 'next/server'
import { apiRoute, readJson, readQuery } from '@/lib/api/route'
import { declareIncident, listIncidents } from '@/lib/incidents'
import { declareIncidentSchema, listIncidentsQuerySchema } from '@/lib/incidents/schemas'

export const GET = apiRoute(async (request, { context }) => ({ incidents: await listIncidents(context, readQuery(request, listIncidentsQuerySchema)) }))

export const POST = apiRoute(async (request, { context }) => {
  const input = await readJson(request, declareIncidentSchema)
  return NextResponse.json({ incident: await declareIncident(context, input) }, { status: 201 })
})
