import { apiRoute } from '@/lib/api/route'
import { rulesFor } from '@/lib/slo/burn-rate'
import { prometheusRulesFor, RuleExportError } from '@/lib/slo/rules'
import { sloNameSchema } from '@/lib/slo/schemas'
import { getSlo } from '@/lib/slo/service'
import { AppError } from '@/lib/errors'

/** Sloth-compatible recording and alerting rules for the team's own Prometheus (rule_files), as a YAML download. */
export const GET = apiRoute<{ name: string }>(async (_request, { context, params }) => {
  const slo = await getSlo(context, sloNameSchema.parse(params.name))
  let yaml: string
  try {
    yaml = prometheusRulesFor(slo, { rules: rulesFor(slo.alerting, slo.periodDays) })
  } catch (error) {
    if (error instanceof RuleExportError) throw new AppError('bad_request', error.message)
    throw error
  }
  return new Response(yaml, { headers: { 'content-type': 'application/yaml; charset=utf-8', 'content-disposition': `attachment; filename="${slo.name}.rules.yml"` } })
})
