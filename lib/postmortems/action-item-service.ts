import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { ACTIVE_STATUSES, closedAtFor, compareActionItems, utcDay } from './action-items'
import { actionItemFields, postmortemNotFound, toActionItemView } from './rows'
import type { ActionItemStatus, CreateActionItemInput, ListActionItemsQuery, UpdateActionItemInput } from './schemas'
import type { ActionItemView } from './views'

type Tx = Prisma.TransactionClient

export interface ActionItemList {
  items: ActionItemView[]
  /** the day "overdue" was judged against (UTC) */
  today: string
  /** over all postmortems, whatever the filters */
  counts: { active: number; overdue: number }
}

const dayDate = (day: string | null) => (day ? new Date(`${day}T00:00:00.000Z`) : null)

function itemNotFound(number: number): AppError {
  return new AppError('not_found', `There is no action item AI-${number}.`)
}

/** People who can own an action item: every active account (an owner need not be on call). */
export async function listOwners(context: RequestContext): Promise<{ id: string; name: string; email: string }[]> {
  requirePermission(context, 'console:read')
  return getDb().user.findMany({ where: { disabled: false }, select: { id: true, name: true, email: true }, orderBy: { name: 'asc' }, take: 1_000 })
}

async function ownerFor(tx: Tx, ownerId: string | null): Promise<{ ownerId: string | null; ownerName: string | null }> {
  if (ownerId === null) return { ownerId: null, ownerName: null }
  const user = await tx.user.findFirst({ where: { id: ownerId, disabled: false }, select: { id: true, name: true } })
  if (!user) throw new AppError('bad_request', 'That owner is not an active user; choose someone from the list.', { issues: [{ path: 'ownerId', message: 'is not an active user' }] })
  return { ownerId: user.id, ownerName: user.name }
}

/** Action items across all postmortems: overdue first, then by priority and due date. */
export async function listActionItems(context: RequestContext, query: ListActionItemsQuery, options: { now?: Date } = {}): Promise<ActionItemList> {
  const actor = requirePermission(context, 'console:read')
  const today = utcDay(options.now ?? new Date())
  const todayDate = dayDate(today)!
  const overdueWhere: Prisma.ActionItemWhereInput = { status: { in: [...ACTIVE_STATUSES] }, dueDate: { lt: todayDate } }
  const and: Prisma.ActionItemWhereInput[] = []
  if (query.status === 'active') and.push({ status: { in: [...ACTIVE_STATUSES] } })
  else if (query.status !== 'all') and.push({ status: query.status })
  if (query.owner === 'me') and.push({ ownerId: actor.id })
  else if (query.owner === 'none') and.push({ ownerId: null })
  else if (query.owner) and.push({ ownerId: query.owner })
  if (query.priority) and.push({ priority: query.priority })
  if (query.overdue) and.push(overdueWhere)
  if (query.postmortem) and.push({ postmortem: { number: query.postmortem } })
  const db = getDb()
  const [rows, active, overdue] = await Promise.all([
    db.actionItem.findMany({ where: and.length ? { AND: and } : {}, select: actionItemFields, orderBy: [{ dueDate: { sort: 'asc', nulls: 'last' } }, { number: 'asc' }], take: query.limit }),
    db.actionItem.count({ where: { status: { in: [...ACTIVE_STATUSES] } } }),
    db.actionItem.count({ where: overdueWhere }),
  ])
  return { items: rows.map((r) => toActionItemView(r, today)).sort(compareActionItems(today)), today, counts: { active, overdue } }
}

/** Action items can be added in every status: follow-ups often come after publishing. */
export async function createActionItem(context: RequestContext, postmortemNumber: number, input: CreateActionItemInput, options: { now?: Date } = {}): Promise<ActionItemView> {
  requirePermission(context, 'postmortem:write')
  const now = options.now ?? new Date()
  return getDb().$transaction(async (tx) => {
    const pm = await tx.postmortem.findUnique({ where: { number: postmortemNumber }, select: { id: true } })
    if (!pm) throw postmortemNotFound(postmortemNumber)
    const owner = await ownerFor(tx, input.ownerId)
    const row = await tx.actionItem.create({
      data: { postmortemId: pm.id, title: input.title, ...owner, dueDate: dayDate(input.dueDate), priority: input.priority, status: input.status, closedAt: closedAtFor({ status: 'open', closedAt: null }, input.status, now) },
      select: actionItemFields,
    })
    const view = toActionItemView(row, utcDay(now))
    await recordAudit(tx, context, { action: 'action-item.create', targetType: 'action-item', targetId: row.id, after: auditView(view) })
    return view
  })
}

function auditView(item: ActionItemView) {
  return { number: item.number, postmortem: item.postmortem.number, title: item.title, owner: item.ownerName, dueDate: item.dueDate, status: item.status, priority: item.priority }
}

/** Changes only the fields sent; two people changing different fields of one item both keep their change. */
export async function updateActionItem(context: RequestContext, number: number, input: UpdateActionItemInput, options: { now?: Date } = {}): Promise<ActionItemView> {
  requirePermission(context, 'postmortem:write')
  const now = options.now ?? new Date()
  const today = utcDay(now)
  return getDb().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM action_items WHERE number = ${number} FOR UPDATE`
    if (!locked) throw itemNotFound(number)
    const before = await tx.actionItem.findUniqueOrThrow({ where: { id: locked.id }, select: actionItemFields })
    const data: Prisma.ActionItemUncheckedUpdateInput = {}
    if (input.title !== undefined) data.title = input.title
    if (input.priority !== undefined) data.priority = input.priority
    if (input.dueDate !== undefined) data.dueDate = dayDate(input.dueDate)
    if (input.ownerId !== undefined) Object.assign(data, await ownerFor(tx, input.ownerId))
    if (input.status !== undefined) {
      data.status = input.status
      data.closedAt = closedAtFor({ status: before.status as ActionItemStatus, closedAt: before.closedAt }, input.status, now)
    }
    const after = await tx.actionItem.update({ where: { id: locked.id }, data, select: actionItemFields })
    const [beforeView, afterView] = [toActionItemView(before, today), toActionItemView(after, today)]
    await recordAudit(tx, context, { action: 'action-item.update', targetType: 'action-item', targetId: locked.id, before: auditView(beforeView), after: auditView(afterView) })
    return afterView
  })
}

/** Deleting is for mistakes while the postmortem is being written; once published, close an item as "won't do". */
export async function deleteActionItem(context: RequestContext, number: number): Promise<void> {
  requirePermission(context, 'postmortem:write')
  await getDb().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM action_items WHERE number = ${number} FOR UPDATE`
    if (!locked) throw itemNotFound(number)
    const row = await tx.actionItem.findUniqueOrThrow({ where: { id: locked.id }, select: actionItemFields })
    if (row.postmortem.status === 'published') throw new AppError('conflict', `AI-${number} belongs to a published postmortem (PM-${row.postmortem.number}): mark it “won't do” instead of deleting it.`)
    await tx.actionItem.delete({ where: { id: locked.id } })
    await recordAudit(tx, context, { action: 'action-item.delete', targetType: 'action-item', targetId: locked.id, before: auditView(toActionItemView(row, utcDay(new Date()))) })
  })
}
