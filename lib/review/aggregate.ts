/**
 * The review's counts from database rows: incidents by failure class, pathway and error state (null = unclassified),
 * action items opened / closed / overdue, and the postmortems still due. Pure: rows in, rows out.
 */
import { ERROR_STATE_LABELS, findFailureClass, type ErrorState } from '@/lib/taxonomy'
import { isoDay, type ReviewWindow } from './period'
import type { ActionItemRow, BreakdownRow, PostmortemDue, Severity } from './types'

export const UNCLASSIFIED = 'unclassified'
/** Severities whose resolved incidents need a published postmortem (SEV1 critical, SEV2 high). */
export const POSTMORTEM_SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2']

export interface IncidentRow {
  number: number
  title: string
  severity: Severity
  status: string
  pipeline: string | null
  startedAt: Date
  detectedAt: Date
  acknowledgedAt: Date | null
  mitigatedAt: Date | null
  resolvedAt: Date | null
  errorState: string | null
  pathway: string | null
  failureClass: string | null
  postmortem: { number: number; status: string } | null
}

export interface ActionItemInput {
  number: number
  title: string
  ownerName: string | null
  dueDate: Date | null
  status: 'open' | 'in_progress' | 'done' | 'wont_do'
  priority: string
  createdAt: Date
  closedAt: Date | null
  updatedAt: Date
  postmortemNumber: number
  incidentNumber: number
}

const inWindow = (at: Date | null, window: ReviewWindow) => at !== null && at.getTime() >= window.start.getTime() && at.getTime() < window.end.getTime()

/** Incidents of a period: those that started in it. */
export function incidentsStartedIn<T extends { startedAt: Date }>(incidents: T[], window: ReviewWindow): T[] {
  return incidents.filter((i) => inWindow(i.startedAt, window))
}

export function failureClassLabel(id: string | null): string {
  if (id === null) return UNCLASSIFIED
  return findFailureClass(id)?.title ?? id
}

export function errorStateLabel(id: string | null): string {
  if (id === null) return UNCLASSIFIED
  return ERROR_STATE_LABELS[id as ErrorState]?.split(':')[0] ?? id
}

export function pathwayLabel(id: string | null): string {
  if (id === null) return UNCLASSIFIED
  return id.charAt(0).toUpperCase() + id.slice(1)
}

/** Counts per value in both periods, most frequent first, unclassified last; values seen in either period appear. */
export function breakdown<T>(current: T[], previous: T[], key: (item: T) => string | null, label: (id: string | null) => string): BreakdownRow[] {
  const rows = new Map<string | null, BreakdownRow>()
  const row = (id: string | null) => rows.get(id) ?? rows.set(id, { id, label: label(id), count: 0, previousCount: 0 }).get(id)!
  for (const item of current) row(key(item)).count++
  for (const item of previous) row(key(item)).previousCount++
  return [...rows.values()].sort((a, b) => Number(a.id === null) - Number(b.id === null) || b.count - a.count || b.previousCount - a.previousCount || a.label.localeCompare(b.label))
}

const isActive = (status: ActionItemInput['status']) => status === 'open' || status === 'in_progress'

/** When an item was closed: closedAt, or its last update for a closed item that predates closedAt being kept. */
function closedAt(item: ActionItemInput): Date | null {
  if (isActive(item.status)) return null
  return item.closedAt ?? item.updatedAt
}

/** Overdue on a day: due before it, and not closed by then (reopened items count as open, as they are now). */
export function wasOverdueAt(item: ActionItemInput, at: Date): boolean {
  if (item.dueDate === null || item.createdAt.getTime() >= at.getTime()) return false
  if (!(isoDay(item.dueDate) < isoDay(at))) return false
  const closed = closedAt(item)
  return closed === null || closed.getTime() >= at.getTime()
}

/** Overdue now: due before today (UTC) and still open or in progress. */
export function isOverdueNow(item: Pick<ActionItemInput, 'dueDate' | 'status'>, now: Date): boolean {
  return isActive(item.status) && item.dueDate !== null && isoDay(item.dueDate) < isoDay(now)
}

export function actionItemCounts(items: ActionItemInput[], window: ReviewWindow): { opened: number; closed: number; overdueAtEnd: number } {
  return {
    opened: items.filter((i) => inWindow(i.createdAt, window)).length,
    closed: items.filter((i) => inWindow(closedAt(i), window)).length,
    overdueAtEnd: items.filter((i) => wasOverdueAt(i, window.end)).length,
  }
}

/** Open and in-progress items, overdue first, then by due date (none last), priority and number. */
export function openActionItems(items: ActionItemInput[], now: Date): ActionItemRow[] {
  return items
    .filter((i) => isActive(i.status))
    .map((i) => ({
      number: i.number,
      title: i.title,
      ownerName: i.ownerName,
      dueDate: i.dueDate ? isoDay(i.dueDate) : null,
      status: i.status,
      priority: i.priority,
      isOverdue: isOverdueNow(i, now),
      postmortemNumber: i.postmortemNumber,
      incidentNumber: i.incidentNumber,
    }))
    .sort((a, b) => Number(b.isOverdue) - Number(a.isOverdue) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.priority.localeCompare(b.priority) || a.number - b.number)
}

/** SEV1 and SEV2 incidents resolved in the period without a published postmortem, oldest first. */
export function postmortemsDue(incidents: IncidentRow[], window: ReviewWindow): PostmortemDue[] {
  return incidents
    .filter((i) => POSTMORTEM_SEVERITIES.includes(i.severity) && inWindow(i.resolvedAt, window) && i.postmortem?.status !== 'published')
    .sort((a, b) => a.resolvedAt!.getTime() - b.resolvedAt!.getTime())
    .map((i) => ({ incidentNumber: i.number, title: i.title, severity: i.severity, resolvedAt: i.resolvedAt!.toISOString(), postmortem: i.postmortem }))
}
