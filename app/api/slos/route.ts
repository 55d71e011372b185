import { NextResponse } from 'next/server'
import { apiRoute, readJson } from '@/lib/api/route'
import { statusesOf } from '@/lib/slo/live'
import { sloInputSchema } from '@/lib/slo/schemas'
import { createSlo, listSlos } from '@/lib/slo/service'

/** Every SLO with its status now; an outage of the metrics backend still lists them, with the outage explained. */
export const GET = apiRoute(async (_request, { context }) => {
  const slos = await listSlos(context)
  const { statuses, errors, telemetry } = await statusesOf(slos)
  return { slos: slos.map((slo) => ({ ...slo, status: statuses[slo.name] ?? null, error: errors[slo.name] ?? null })), telemetry }
})

export const POST = apiRoute(async (request, { context }) => {
  const input = await readJson(request, sloInputSchema)
  return NextResponse.json({ slo: await createSlo(context, input) }, { status: 201 })
})
