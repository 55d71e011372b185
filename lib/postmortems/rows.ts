import 'server-only'
import type { Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { findFailureClass } from '@/lib/taxonomy'
import { isOverdue, utcDay } from './action-items'
import { readFacts } from './facts'
import { publishBlockers } from './lifecycle'
import { postmortemContentSchema, type ActionItemPriority, type ActionItemStatus, type PostmortemContent, type PostmortemStatus } from './schemas'
import type { ActionItemView, CitedCase, PostmortemSummary, PostmortemView } from './views'

export const incidentRefFields = { number: true, title: true, severity: true, status: true } as const

export const actionItemFields = {
  id: true,
  number: true,
  title: true,
  ownerId: true,
  ownerName: true,
  dueDate: true,
  status: true,
  priority: true,
  closedAt: true,
  createdAt: true,
  updatedAt: true,
  postmortem: { select: { number: true, title: true, status: true } },
} as const satisfies Prisma.ActionItemSelect

type ActionItemRow = Prisma.ActionItemGetPayload<{ select: typeof actionItemFields }>

export const postmortemFields = {
  id: true,
  number: true,
  title: true,
  status: true,
  version: true,
  content: true,
  facts: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  reviewRequestedAt: true,
  publishedAt: true,
  incident: { select: incidentRefFields },
  cases: { select: { linkedAt: true, traceCase: { select: { number: true, title: true, category: true, traceId: true } } }, orderBy: { linkedAt: 'asc' } },
  actionItems: { select: actionItemFields, orderBy: { number: 'asc' } },
  revisions: { select: { version: true, authorName: true }, orderBy: { version: 'desc' }, take: 1 },
} as const satisfies Prisma.PostmortemSelect

export type PostmortemRow = Prisma.PostmortemGetPayload<{ select: typeof postmortemFields }>

/** The date column holds a day; Prisma hands it over as midnight UTC. */
export const dayOf = (date: Date | null): string | null => (date ? date.toISOString().slice(0, 10) : null)

export function toActionItemView(row: ActionItemRow, today: string): ActionItemView {
  const view = {
    id: row.id,
    number: row.number,
    postmortem: { number: row.postmortem.number, title: row.postmortem.title, status: row.postmortem.status as PostmortemStatus },
    title: row.title,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    dueDate: dayOf(row.dueDate),
    status: row.status as ActionItemStatus,
    priority: row.priority as ActionItemPriority,
    closedAt: row.closedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
  return { ...view, isOverdue: isOverdue(view, today) }
}

/** Stored content is read through the schema, so a row written by an older release still renders with defaults. */
export function readContent(value: unknown): PostmortemContent {
  const parsed = postmortemContentSchema.safeParse(value)
  return parsed.success ? parsed.data : postmortemContentSchema.parse({ sections: {} })
}

export function toCitedCase(link: PostmortemRow['cases'][number]): CitedCase {
  const c = link.traceCase
  return { number: c.number, title: c.title, category: c.category, categoryTitle: findFailureClass(c.category)?.title ?? c.category, traceId: c.traceId, linkedAt: link.linkedAt.toISOString() }
}

export function toPostmortemView(row: PostmortemRow, generated: PostmortemContent | null, now: Date): PostmortemView {
  const today = utcDay(now)
  const content = readContent(row.content)
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status as PostmortemStatus,
    version: row.version,
    content,
    facts: readFacts(row.facts),
    incident: { ...row.incident, severity: String(row.incident.severity), status: String(row.incident.status) },
    cases: row.cases.map(toCitedCase),
    actionItems: row.actionItems.map((a) => toActionItemView(a, today)),
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    reviewRequestedAt: row.reviewRequestedAt?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    lastEditorName: row.revisions[0]?.authorName ?? row.createdByName,
    publishBlockers: row.status === 'published' ? [] : publishBlockers(content, generated),
  }
}

export const summaryFields = {
  number: true,
  title: true,
  status: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  publishedAt: true,
  incident: { select: incidentRefFields },
  actionItems: { select: { status: true, dueDate: true } },
} as const satisfies Prisma.PostmortemSelect

export function toSummary(row: Prisma.PostmortemGetPayload<{ select: typeof summaryFields }>, now: Date): PostmortemSummary {
  const today = utcDay(now)
  const items = row.actionItems.map((a) => ({ status: a.status as ActionItemStatus, dueDate: dayOf(a.dueDate) }))
  return {
    number: row.number,
    title: row.title,
    status: row.status as PostmortemStatus,
    incident: { ...row.incident, severity: String(row.incident.severity), status: String(row.incident.status) },
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    actionItems: { total: items.length, open: items.filter((a) => a.status === 'open' || a.status === 'in_progress').length, overdue: items.filter((a) => isOverdue(a, today)).length },
  }
}

export function postmortemNotFound(number: number): AppError {
  return new AppError('not_found', `There is no postmortem PM-${number}.`)
}
