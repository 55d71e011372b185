import { apiRoute, readJson } from '@/lib/api/route'
import { statusesOf } from '@/lib/slo/live'
import { sloNameSchema, sloUpdateSchema } from '@/lib/slo/schemas'
import { deleteSlo, getSlo, updateSlo } from '@/lib/slo/service'

type Params = { name: string }

export const GET = apiRoute<Params>(async (_request, { context, params }) => {
  const slo = await getSlo(context, sloNameSchema.parse(params.name))
  const { statuses, errors, telemetry } = await statusesOf([slo])
  return { slo, status: statuses[slo.name] ?? null, error: errors[slo.name] ?? null, telemetry }
})

export const PUT = apiRoute<Params>(async (request, { context, params }) => {
  const input = await readJson(request, sloUpdateSchema)
  return { slo: await updateSlo(context, sloNameSchema.parse(params.name), input) }
})

export const DELETE = apiRoute<Params>(async (_request, { context, params }) => {
  await deleteSlo(context, sloNameSchema.parse(params.name))
  return { deleted: true }
})
