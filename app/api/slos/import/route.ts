import { apiRoute, readJson } from '@/lib/api/route'
import { sloImportSchema } from '@/lib/slo/schemas'
import { importSlos } from '@/lib/slo/service'

/** OpenSLO v1 YAML: all SLOs of the file or none, with each error's line and field. */
export const POST = apiRoute(async (request, { context }) => {
  const { yaml } = await readJson(request, sloImportSchema)
  return importSlos(context, yaml)
})
