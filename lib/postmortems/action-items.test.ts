import { describe, expect, it } from 'vitest'
import { closedAtFor, compareActionItems, daysOverdue, isOverdue, utcDay } from './action-items'
import type { ActionItemPriority, ActionItemStatus } from './schemas'

const item = (number: number, dueDate: string | null, status: ActionItemStatus = 'open', priority: ActionItemPriority = 'p2') => ({ number, dueDate, status, priority })

describe('overdue action items', () => {
  const today = '2026-11-22'

  it('are open or in progress with a due date before today', () => {
    expect(isOverdue(item(1, '2026-11-21'), today)).toBe(true)
    expect(isOverdue(item(1, '2026-11-21', 'in_progress'), today)).toBe(true)
    expect(daysOverdue(item(1, '2026-11-19'), today)).toBe(3)
  })

  it('are not due today, not without a date, and never once done or dropped', () => {
    expect(isOverdue(item(1, today), today)).toBe(false)
    expect(isOverdue(item(1, null), today)).toBe(false)
    expect(isOverdue(item(1, '2020-01-01', 'done'), today)).toBe(false)
    expect(isOverdue(item(1, '2020-01-01', 'wont_do'), today)).toBe(false)
    expect(daysOverdue(item(1, '2020-01-01', 'done'), today)).toBe(0)
  })

  it('judge "today" in UTC, as the date column stores it', () => {
    expect(utcDay(new Date('2026-11-22T23:30:00-05:00'))).toBe('2026-11-23')
  })

  it('sort overdue first, then active before closed, then priority, then nearest due date', () => {
    const items = [item(1, '2026-12-01', 'open', 'p3'), item(2, null, 'open', 'p0'), item(3, '2026-11-01', 'done', 'p0'), item(4, '2026-11-20', 'open', 'p3'), item(5, '2026-11-25', 'open', 'p0')]
    expect(items.sort(compareActionItems(today)).map((i) => i.number)).toEqual([4, 5, 2, 1, 3])
  })
})

describe('closedAt', () => {
  const now = new Date('2026-11-22T10:00:00Z')
  const earlier = new Date('2026-11-01T10:00:00Z')
  it('is set when an item closes, kept while it stays closed, cleared when it reopens', () => {
    expect(closedAtFor({ status: 'open', closedAt: null }, 'done', now)).toEqual(now)
    expect(closedAtFor({ status: 'done', closedAt: earlier }, 'wont_do', now)).toEqual(earlier)
    expect(closedAtFor({ status: 'done', closedAt: earlier }, 'in_progress', now)).toBeNull()
    expect(closedAtFor({ status: 'open', closedAt: null }, 'in_progress', now)).toBeNull()
  })
})
