import { apiRoute, readQuery } from '@/lib/api/route'
import { sloCharts } from '@/lib/slo/evaluate'
import { CHART_RANGES, chartQuerySchema, sloNameSchema } from '@/lib/slo/schemas'
import { getSlo, incidentsForService } from '@/lib/slo/service'
import { alignToInterval, PANEL_REFRESH_MS, readTelemetry } from '@/lib/telemetry'

/** The SLO's three charts over a range, with the incidents on its pipeline as markers. */
export const GET = apiRoute<{ name: string }>(async (request, { context, params }) => {
  const slo = await getSlo(context, sloNameSchema.parse(params.name))
  const query = readQuery(request, chartQuerySchema)
  const end = alignToInterval(query.end ?? new Date(), PANEL_REFRESH_MS)
  const rangeSeconds = CHART_RANGES[query.range]
  const incidents = await incidentsForService(context, slo.service, new Date(end.getTime() - rangeSeconds * 1000), end)
  const { source, isDemo, value } = await readTelemetry((metrics) => sloCharts(metrics, slo, end, rangeSeconds))
  return { source, isDemo, range: query.range, charts: value, incidents }
})
