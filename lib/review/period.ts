/**
 * The review period: a team's week (UTC days, starting on a configurable weekday) or an explicit from/to, and the
 * period of the same length just before it for the comparison. Plain UTC arithmetic: weeks start at 00:00 UTC.
 */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export const DEFAULT_WEEK_START: Weekday = 'monday'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS
/** The longest custom period: a quarter, so the raw queries stay bounded. */
export const MAX_PERIOD_DAYS = 92

export interface ReviewWindow {
  start: Date
  end: Date
}

export interface ReviewPeriod extends ReviewWindow {
  /** the same length, ending where this one starts */
  previous: ReviewWindow
  /** the week's first day (YYYY-MM-DD) when the period is a week, else null */
  week: string | null
  weekStart: Weekday
  /** "week of 16 Nov 2026" or "2026-11-01 to 2026-11-15" */
  label: string
}

export type PeriodQuery = { week?: string; from?: Date; to?: Date }

/** 00:00 UTC of the day holding `at`. */
export function utcMidnight(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS)
}

export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** 00:00 UTC of the latest `weekStart` day on or before `at`. */
export function weekStartOf(at: Date, weekStart: Weekday): Date {
  const midnight = utcMidnight(at)
  const back = (midnight.getUTCDay() - WEEKDAYS.indexOf(weekStart) + 7) % 7
  return new Date(midnight.getTime() - back * DAY_MS)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
function humanDay(at: Date): string {
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`
}

function withPrevious(start: Date, end: Date): ReviewWindow & { previous: ReviewWindow } {
  const length = end.getTime() - start.getTime()
  return { start, end, previous: { start: new Date(start.getTime() - length), end: start } }
}

function week(start: Date, weekStart: Weekday): ReviewPeriod {
  return { ...withPrevious(start, new Date(start.getTime() + WEEK_MS)), week: isoDay(start), weekStart, label: `week of ${humanDay(start)}` }
}

/**
 * The period a query asks for. No query: the last complete week (a weekly meeting reviews the week that just ended).
 * ?week=YYYY-MM-DD: the team's week holding that day. ?from&to: exactly that range (validated by the schema).
 */
export function reviewPeriod(query: PeriodQuery, now: Date, weekStart: Weekday = DEFAULT_WEEK_START): ReviewPeriod {
  if (query.from && query.to) {
    const { start, end, previous } = withPrevious(query.from, query.to)
    const wholeDays = start.getTime() % DAY_MS === 0 && end.getTime() % DAY_MS === 0
    const label = wholeDays ? `${isoDay(start)} to ${isoDay(new Date(end.getTime() - DAY_MS))}` : `${start.toISOString().slice(0, 16).replace('T', ' ')} to ${end.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    return { start, end, previous, week: null, weekStart, label }
  }
  if (query.week) return week(weekStartOf(new Date(`${query.week}T00:00:00Z`), weekStart), weekStart)
  return week(new Date(weekStartOf(now, weekStart).getTime() - WEEK_MS), weekStart)
}

/** The week before and after a week period, for the page's arrows; null after the current week. */
export function adjacentWeeks(period: ReviewPeriod, now: Date): { previous: string; next: string | null; current: string } {
  const start = weekStartOf(period.start, period.weekStart)
  const current = weekStartOf(now, period.weekStart)
  const next = new Date(start.getTime() + WEEK_MS)
  return { previous: isoDay(new Date(start.getTime() - WEEK_MS)), next: next.getTime() <= current.getTime() ? isoDay(next) : null, current: isoDay(current) }
}

/** The instant the numbers are computed at: the period's end, or now while the period is still running. */
export function evaluationEnd(window: ReviewWindow, now: Date): Date {
  return new Date(Math.min(window.end.getTime(), now.getTime()))
}

/** The query string that reproduces a period (for links, export and print). */
export function periodSearch(period: Pick<ReviewPeriod, 'week' | 'start' | 'end'>): string {
  if (period.week) return `week=${period.week}`
  return `from=${encodeURIComponent(period.start.toISOString())}&to=${encodeURIComponent(period.end.toISOString())}`
}

export interface IncidentWindowTimes {
  startedAt: Date
  mitigatedAt: Date | null
  resolvedAt: Date | null
}

/**
 * The window whose error budget an incident is charged with: from the start of impact to its resolution, else its
 * mitigation, else `now`. The postmortem's SLO impact and the weekly review's incident costs both use this, so the
 * same incident costs the same in both.
 */
export function impactWindow(incident: IncidentWindowTimes, now: Date): ReviewWindow {
  const end = incident.resolvedAt ?? incident.mitigatedAt ?? now
  return { start: incident.startedAt, end: end.getTime() > incident.startedAt.getTime() ? end : incident.startedAt }
}

/** An incident's impact window (impactWindow, open-ended at the window's end) clipped to a window; null if outside. */
export function clipToWindow(incident: IncidentWindowTimes, window: ReviewWindow): ReviewWindow | null {
  const impact = impactWindow(incident, window.end)
  const start = Math.max(impact.start.getTime(), window.start.getTime())
  const end = Math.min(impact.end.getTime(), window.end.getTime())
  return end > start ? { start: new Date(start), end: new Date(end) } : null
}
