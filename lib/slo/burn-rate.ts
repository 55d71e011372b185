/**
 * Error budgets and multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs", table 5-8;
 * the same windows Sloth generates). Pure arithmetic: ratios in, decisions out.
 *
 * Vocabulary: objective 0.999 means 99.9 % good; the error budget is 1 - objective; the burn rate of a window is its
 * error ratio divided by the budget (1 means "exactly spends the budget over the SLO period").
 */

export const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const
/** A Prometheus duration such as 5m, 1h, 3d (Pyrra's windows scale with the SLO period, e.g. 64m for 30 days). */
export type Window = string

export interface BurnRateRule {
  severity: 'page' | 'ticket'
  /** burn-rate factor both windows must exceed */
  factor: number
  long: Window
  short: Window
}

/** The SRE workbook's recommendation for a 30-day SLO, as Sloth generates it. */
export const SRE_WORKBOOK_RULES: BurnRateRule[] = [
  { severity: 'page', factor: 14.4, long: '1h', short: '5m' },
  { severity: 'page', factor: 6, long: '6h', short: '30m' },
  { severity: 'ticket', factor: 3, long: '1d', short: '2h' },
  { severity: 'ticket', factor: 1, long: '3d', short: '6h' },
]

const UNIT_HOURS: Record<string, number> = { s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168 }

export function windowHours(window: Window): number {
  const match = /^(\d+)([smhdw])$/.exec(window)
  if (!match) throw new RangeError(`${window} is not a duration like 5m, 1h or 3d`)
  return Number(match[1]) * UNIT_HOURS[match[2]]
}

/** The shortest Prometheus spelling of a number of minutes: 1440 -> 1d, 64 -> 64m. */
export function formatWindow(minutes: number): Window {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`
  if (minutes % 60 === 0) return `${minutes / 60}h`
  return `${Math.round(minutes)}m`
}

/**
 * Pyrra's preset (pyrra-dev/pyrra, slo/rules.go Windows): the same four alerts with factors 14, 7, 2 and 1, whose
 * windows are defined for 28 days (1h/5m, 6h/30m, 1d/2h, 4d/6h) and scale with the SLO period, rounded to the minute.
 */
export function pyrraRules(periodDays: number): BurnRateRule[] {
  const scale = (minutesFor28Days: number) => formatWindow(Math.max(1, Math.round((minutesFor28Days * periodDays) / 28)))
  return [
    { severity: 'page', factor: 14, long: scale(60), short: scale(5) },
    { severity: 'page', factor: 7, long: scale(360), short: scale(30) },
    { severity: 'ticket', factor: 2, long: scale(1440), short: scale(120) },
    { severity: 'ticket', factor: 1, long: scale(5760), short: scale(360) },
  ]
}

export const ALERTING_PRESETS = ['sre-workbook', 'pyrra'] as const
export type AlertingPreset = (typeof ALERTING_PRESETS)[number]

export function rulesFor(preset: AlertingPreset, periodDays: number): BurnRateRule[] {
  return preset === 'pyrra' ? pyrraRules(periodDays) : SRE_WORKBOOK_RULES
}

function assertObjective(objective: number) {
  if (!(objective > 0 && objective < 1)) throw new RangeError(`objective must be between 0 and 1 (got ${objective}); 99.9 % is 0.999`)
}

export function errorBudget(objective: number): number {
  assertObjective(objective)
  return 1 - objective
}

export function burnRate(errorRatio: number, objective: number): number {
  return errorRatio / errorBudget(objective)
}

/** Share of the whole period's budget that a window spent: burn rate times the window's share of the period. */
export function budgetConsumed(errorRatio: number, objective: number, windowHoursSpent: number, periodDays = 30): number {
  return burnRate(errorRatio, objective) * (windowHoursSpent / (periodDays * 24))
}

/** What is left of the period's budget, given the error ratio over the period so far (negative when overspent). */
export function budgetRemaining(periodErrorRatio: number, objective: number): number {
  return 1 - burnRate(periodErrorRatio, objective)
}

/** Hours until the remaining budget is gone at the current burn rate; Infinity when nothing is burning. */
export function hoursToExhaustion(remaining: number, currentBurnRate: number, periodDays = 30): number {
  if (currentBurnRate <= 0) return Infinity
  return Math.max(0, (remaining * periodDays * 24) / currentBurnRate)
}

export interface BurnRateStatus {
  rule: BurnRateRule
  longBurnRate: number | null
  shortBurnRate: number | null
  isFiring: boolean
  /** why it is not firing although the rates are high, e.g. too little traffic to trust the ratio */
  suppressedBy?: string
}

/**
 * Which rules hold now. A rule fires when both its long and short window burn faster than its factor (the short
 * window makes the alert stop soon after the problem does). With too few events in the short window the ratio is
 * noise (2 errors of 3 requests is a 67 % error ratio), so a minimum event rate guards against paging on tiny traffic.
 */
export function evaluateBurnRates(
  errorRatios: Partial<Record<Window, number | null>>,
  objective: number,
  options: { rules?: BurnRateRule[]; shortWindowEvents?: Partial<Record<Window, number>>; minEvents?: number } = {},
): BurnRateStatus[] {
  const rules = options.rules ?? SRE_WORKBOOK_RULES
  return rules.map((rule) => {
    const long = errorRatios[rule.long]
    const short = errorRatios[rule.short]
    const longBurnRate = long === null || long === undefined ? null : burnRate(long, objective)
    const shortBurnRate = short === null || short === undefined ? null : burnRate(short, objective)
    const ratesHold = longBurnRate !== null && shortBurnRate !== null && longBurnRate > rule.factor && shortBurnRate > rule.factor
    const events = options.shortWindowEvents?.[rule.short]
    const tooLittleTraffic = options.minEvents !== undefined && events !== undefined && events < options.minEvents
    return {
      rule,
      longBurnRate,
      shortBurnRate,
      isFiring: ratesHold && !tooLittleTraffic,
      ...(ratesHold && tooLittleTraffic ? { suppressedBy: `only ${events} events in ${rule.short} (minimum ${options.minEvents})` } : {}),
    }
  })
}
