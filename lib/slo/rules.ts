/**
 * Prometheus recording and alerting rules for a ratio SLO, with Sloth's names (slo:sli_error:ratio_rate5m and
 * friends, sloth_id / sloth_service / sloth_slo labels), so a team can load them into its own Prometheus and
 * Firebreak reads long windows from the recorded series instead of raw 30-day queries.
 */
import { stringify } from 'yaml'
import { SRE_WORKBOOK_RULES, type BurnRateRule, type Window } from './burn-rate'
import type { SloDefinition } from './openslo'

const SLI_WINDOWS: Window[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d']
export const WINDOW_PLACEHOLDER = '{{.window}}'

export class RuleExportError extends Error {}

function selector(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`
}

/** Sloth's sloth_id: service and SLO name joined by a dash. */
export function slothId(slo: Pick<SloDefinition, 'service' | 'name'>): string {
  return `${slo.service}-${slo.name}`
}

export function errorRatioQuery(slo: SloDefinition, window: Window): string {
  if (slo.sli.kind !== 'ratio') throw new RuleExportError(`${slo.name}: only ratio SLIs have recording rules; a threshold SLI is evaluated by its own query`)
  const { goodQuery, badQuery, totalQuery } = slo.sli
  for (const query of [goodQuery, badQuery, totalQuery]) {
    if (query !== undefined && !query.includes(WINDOW_PLACEHOLDER)) {
      throw new RuleExportError(`${slo.name}: write the range of each SLI query as [${WINDOW_PLACEHOLDER}] (Sloth's convention), e.g. sum(rate(http_requests_total[${WINDOW_PLACEHOLDER}]))`)
    }
  }
  const fill = (q: string) => q.replaceAll(WINDOW_PLACEHOLDER, window)
  const errors = badQuery !== undefined ? `(${fill(badQuery)})` : `((${fill(totalQuery)}) - (${fill(goodQuery!)}))`
  return `${errors}\n/\n(${fill(totalQuery)})`
}

export function prometheusRulesFor(slo: SloDefinition, options: { rules?: BurnRateRule[]; alertName?: string } = {}): string {
  const id = slothId(slo)
  const labels = { sloth_id: id, sloth_service: slo.service, sloth_slo: slo.name }
  const sel = selector(labels)
  const budget = 1 - slo.objective
  const periodWindow = `${Math.round(slo.periodDays)}d`
  const burnRules = options.rules ?? SRE_WORKBOOK_RULES
  // Sloth's windows, plus any a preset such as Pyrra's needs (64m for a 30-day period), so every alert has its series
  const windows = [...new Set([...SLI_WINDOWS, ...burnRules.flatMap((r) => [r.long, r.short])])]
  const recordings = [
    ...windows.map((w) => ({ record: `slo:sli_error:ratio_rate${w}`, expr: errorRatioQuery(slo, w), labels: { ...labels, sloth_window: w } })),
    {
      record: `slo:sli_error:ratio_rate${periodWindow}`,
      expr: `sum_over_time(slo:sli_error:ratio_rate5m${sel}[${periodWindow}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${sel}[${periodWindow}])`,
      labels: { ...labels, sloth_window: periodWindow },
    },
  ]
  const meta = [
    { record: 'slo:objective:ratio', expr: `vector(${slo.objective})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${slo.objective})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${slo.periodDays})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${periodWindow}${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${sel}`, labels },
  ]
  const condition = (r: BurnRateRule) =>
    `(\n    max(slo:sli_error:ratio_rate${r.short}${sel} > (${r.factor} * ${budget})) without (sloth_window)\n    and\n    max(slo:sli_error:ratio_rate${r.long}${sel} > (${r.factor} * ${budget})) without (sloth_window)\n)`
  const alertName = options.alertName ?? `${slo.service}-${slo.name}`.replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase()) + 'ErrorBudgetBurn'
  const alerts = (['page', 'ticket'] as const)
    .map((severity) => ({ severity, rules: burnRules.filter((r) => r.severity === severity) }))
    .filter((g) => g.rules.length > 0)
    .map((g) => ({
      alert: alertName,
      expr: g.rules.map(condition).join('\nor\n'),
      labels: { sloth_severity: g.severity, severity: g.severity === 'page' ? 'critical' : 'warning', pipeline: slo.service },
      annotations: {
        summary: `${slo.displayName}: error budget burning too fast (${g.severity})`,
        title: `(${g.severity}) ${slo.service} ${slo.name} SLO error budget burn rate is too fast.`,
        runbook_url: 'https://firebreak.example/runbooks/triage',
      },
    }))
  return stringify(
    {
      groups: [
        { name: `sloth-slo-sli-recordings-${id}`, rules: recordings },
        { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
        { name: `sloth-slo-alerts-${id}`, rules: alerts },
      ],
    },
    { lineWidth: 0 },
  )
}
