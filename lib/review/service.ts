import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb } from '@/lib/db'
import { listSlos } from '@/lib/slo/service'
import { alignToInterval, backendHealth, getMetricsSource, PANEL_REFRESH_MS } from '@/lib/telemetry'
import { actionItemCounts, breakdown, errorStateLabel, failureClassLabel, incidentsStartedIn, openActionItems, pathwayLabel, postmortemsDue, type ActionItemInput, type IncidentRow } from './aggregate'
import { adjacentWeeks, DEFAULT_WEEK_START, evaluationEnd, periodSearch, reviewPeriod, WEEKDAYS, type PeriodQuery, type ReviewWindow, type Weekday } from './period'
import { emptyReview, reviewSlos } from './slo-review'
import { ttxStats } from './stats'
import type { ReviewTelemetry, SloReview, WeeklyReview } from './types'

/** The Setting row holding the team's first day of the week ("monday" when absent). */
export const WEEK_START_SETTING = 'review.weekStart'
/** Bounds on what one review reads from the database. */
const MAX_INCIDENTS = 2_000
const MAX_ACTION_ITEMS = 5_000

async function getWeekStart(): Promise<Weekday> {
  const row = await getDb().setting.findUnique({ where: { key: WEEK_START_SETTING } })
  const value = row?.value
  return typeof value === 'string' && (WEEKDAYS as readonly string[]).includes(value) ? (value as Weekday) : DEFAULT_WEEK_START
}

export async function readReviewSettings(context: RequestContext): Promise<{ weekStart: Weekday }> {
  requirePermission(context, 'console:read')
  return { weekStart: await getWeekStart() }
}

export async function setWeekStart(context: RequestContext, weekStart: Weekday): Promise<Weekday> {
  requirePermission(context, 'slo:write')
  return getDb().$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key: WEEK_START_SETTING } })
    await tx.setting.upsert({ where: { key: WEEK_START_SETTING }, create: { key: WEEK_START_SETTING, value: weekStart }, update: { value: weekStart } })
    await recordAudit(tx, context, { action: 'review.settings', targetType: 'setting', targetId: WEEK_START_SETTING, before: before?.value ?? null, after: weekStart })
    return weekStart
  })
}

async function loadIncidents(window: ReviewWindow): Promise<IncidentRow[]> {
  const rows = await getDb().incident.findMany({
    where: { startedAt: { lt: window.end }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: window.start } }] },
    select: {
      number: true,
      title: true,
      severity: true,
      status: true,
      pipeline: true,
      startedAt: true,
      detectedAt: true,
      acknowledgedAt: true,
      mitigatedAt: true,
      resolvedAt: true,
      errorState: true,
      pathway: true,
      failureClass: true,
      postmortem: { select: { number: true, status: true } },
    },
    // newest first, so that the cap drops the oldest (previous-period) incidents, never the period's own
    orderBy: { startedAt: 'desc' },
    take: MAX_INCIDENTS,
  })
  return rows.reverse()
}

async function loadActionItems(since: Date): Promise<ActionItemInput[]> {
  const rows = await getDb().actionItem.findMany({
    // everything a count or the open list can need: open now, or created or closed since the previous period began
    where: { OR: [{ status: { in: ['open', 'in_progress'] } }, { createdAt: { gte: since } }, { closedAt: { gte: since } }, { closedAt: null }] },
    select: {
      number: true,
      title: true,
      ownerName: true,
      dueDate: true,
      status: true,
      priority: true,
      createdAt: true,
      closedAt: true,
      updatedAt: true,
      postmortem: { select: { number: true, incident: { select: { number: true } } } },
    },
    // newest first, so that the cap drops the oldest items rather than the ones opened this period
    orderBy: { number: 'desc' },
    take: MAX_ACTION_ITEMS,
  })
  return rows.map(({ postmortem, ...row }) => ({ ...row, postmortemNumber: postmortem.number, incidentNumber: postmortem.incident.number }))
}

async function sloSection(slos: Awaited<ReturnType<typeof listSlos>>, incidents: IncidentRow[], current: ReviewWindow, previous: ReviewWindow): Promise<{ slos: SloReview[]; telemetry: ReviewTelemetry }> {
  const source = getMetricsSource()
  if (!source) {
    const message = 'No metrics backend is configured: set PROMETHEUS_URL to see SLO compliance and budgets.'
    return { slos: slos.map((slo) => emptyReview(slo, message)), telemetry: { source: null, isDemo: false, problem: { message } } }
  }
  const telemetry: ReviewTelemetry = { source: source.name, isDemo: source.isDemo ?? false, problem: null }
  if (slos.length === 0) return { slos: [], telemetry }
  const result = await reviewSlos(source, slos, incidents, { current, previous })
  if (result.backendError) {
    const down = backendHealth.recordFailure(source.name, result.backendError)
    telemetry.problem = { message: result.backendError, down }
  } else {
    backendHealth.recordSuccess(source.name)
  }
  return { slos: result.slos, telemetry }
}

/**
 * Everything the weekly review shows for one period. The database parts always come back; the SLO numbers come from
 * the metrics backend and, when it is down, say so (which backend, since when) without failing the rest.
 */
export async function loadWeeklyReview(context: RequestContext, query: PeriodQuery, now = new Date()): Promise<WeeklyReview> {
  requirePermission(context, 'console:read')
  const weekStart = await getWeekStart()
  const period = reviewPeriod(query, now, weekStart)
  // while the period runs, numbers are as of now, rounded so that viewers share the backend queries
  const asOf = evaluationEnd(period, alignToInterval(now, PANEL_REFRESH_MS))
  const current = { start: period.start, end: asOf }
  const [slos, incidents, actionItems] = await Promise.all([listSlos(context), loadIncidents({ start: period.previous.start, end: period.end }), loadActionItems(period.previous.start)])
  const { slos: sloReviews, telemetry } = await sloSection(slos, incidents, current, period.previous)

  const thisPeriod = incidentsStartedIn(incidents, period)
  const lastPeriod = incidentsStartedIn(incidents, period.previous)
  const counts = actionItemCounts(actionItems, current)
  const previousCounts = actionItemCounts(actionItems, period.previous)
  const open = openActionItems(actionItems, now)
  return {
    period: {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      asOf: asOf.toISOString(),
      label: period.label,
      week: period.week,
      weekStart,
      search: periodSearch(period),
      previous: { start: period.previous.start.toISOString(), end: period.previous.end.toISOString() },
    },
    navigation: adjacentWeeks(period, now),
    generatedAt: now.toISOString(),
    telemetry,
    slos: sloReviews,
    incidents: {
      list: thisPeriod.map((i) => ({
        number: i.number,
        title: i.title,
        severity: i.severity,
        status: i.status,
        pipeline: i.pipeline,
        startedAt: i.startedAt.toISOString(),
        resolvedAt: i.resolvedAt?.toISOString() ?? null,
        errorState: i.errorState,
        pathway: i.pathway,
        failureClass: i.failureClass,
        failureClassTitle: i.failureClass === null ? null : failureClassLabel(i.failureClass),
        postmortem: i.postmortem,
      })),
      count: thisPeriod.length,
      previousCount: lastPeriod.length,
      byFailureClass: breakdown(thisPeriod, lastPeriod, (i) => i.failureClass, failureClassLabel),
      byPathway: breakdown(thisPeriod, lastPeriod, (i) => i.pathway, pathwayLabel),
      byErrorState: breakdown(thisPeriod, lastPeriod, (i) => i.errorState, errorStateLabel),
      ttx: ttxStats(thisPeriod, asOf),
      previousTtx: ttxStats(lastPeriod, period.previous.end),
    },
    actionItems: {
      opened: counts.opened,
      previousOpened: previousCounts.opened,
      closed: counts.closed,
      previousClosed: previousCounts.closed,
      overdueAtEnd: counts.overdueAtEnd,
      previousOverdueAtEnd: previousCounts.overdueAtEnd,
      open,
      overdueNow: open.filter((i) => i.isOverdue).length,
    },
    postmortemsDue: postmortemsDue(incidents, period),
  }
}
