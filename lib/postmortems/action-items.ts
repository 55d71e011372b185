/**
 * Action items are tracked across all postmortems. Overdue: a due date before today (UTC) while the item is still
 * open or in progress; done and won't-do items are never overdue, whatever their date.
 */
import type { ActionItemPriority, ActionItemStatus } from './schemas'

export const ACTIVE_STATUSES: readonly ActionItemStatus[] = ['open', 'in_progress']

export const ACTION_STATUS_LABELS: Record<ActionItemStatus, string> = { open: 'open', in_progress: 'in progress', done: 'done', wont_do: "won't do" }
export const PRIORITY_LABELS: Record<ActionItemPriority, string> = { p0: 'P0', p1: 'P1', p2: 'P2', p3: 'P3' }

/** Today as the date column stores it: YYYY-MM-DD in UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

export function isActive(status: ActionItemStatus): boolean {
  return ACTIVE_STATUSES.includes(status)
}

/** dueDate is a YYYY-MM-DD day; comparing the text compares the days. */
export function isOverdue(item: { dueDate: string | null; status: ActionItemStatus }, today: string): boolean {
  return item.dueDate !== null && isActive(item.status) && item.dueDate < today
}

/** Whole days past due (0 when not overdue), for "3 days overdue". */
export function daysOverdue(item: { dueDate: string | null; status: ActionItemStatus }, today: string): number {
  if (!isOverdue(item, today)) return 0
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${item.dueDate}T00:00:00Z`)) / 86_400_000)
}

/** closedAt follows the status: set when an item is closed, cleared when it is reopened, kept otherwise. */
export function closedAtFor(before: { status: ActionItemStatus; closedAt: Date | null }, next: ActionItemStatus, now: Date): Date | null {
  if (!isActive(next)) return isActive(before.status) ? now : (before.closedAt ?? now)
  return null
}

const PRIORITY_ORDER: Record<ActionItemPriority, number> = { p0: 0, p1: 1, p2: 2, p3: 3 }

/** Overdue first, then active before closed, then priority, then the nearest due date (none last), then number. */
export function compareActionItems<T extends { dueDate: string | null; status: ActionItemStatus; priority: ActionItemPriority; number: number }>(today: string) {
  return (a: T, b: T): number =>
    Number(isOverdue(b, today)) - Number(isOverdue(a, today)) ||
    Number(isActive(b.status)) - Number(isActive(a.status)) ||
    PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
    (a.dueDate ?? '9999-12-31').localeCompare(b.dueDate ?? '9999-12-31') ||
    a.number - b.number
}
