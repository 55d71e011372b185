import 'server-only'
import { diffLines } from 'diff'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { checkPromql } from '@/lib/telemetry/promql'
import { extractChecklist, extractPromqlBlocks, parseRunbook } from './parse'
import type { RunbookFilters } from './schema'

export async function listRunbooks(context: RequestContext, filters: RunbookFilters) {
  requirePermission(context, 'console:read')
  const q = filters.q?.trim()
  const runbooks = await getDb().runbook.findMany({
    where: {
      ...(filters.failureClass ? { failureClass: filters.failureClass } : {}),
      ...(filters.errorState ? { errorState: filters.errorState } : {}),
      ...(filters.pathway ? { pathway: filters.pathway } : {}),
      ...(filters.owner ? { owners: { has: filters.owner } } : {}),
      ...(q
        ? {
            OR: [
              { title: { contains: q, mode: 'insensitive' as const } },
              { id: { contains: q, mode: 'insensitive' as const } },
              { signals: { has: q } },
              { revisions: { some: { status: 'published', content: { contains: q, mode: 'insensitive' as const } } } },
            ],
          }
        : {}),
    },
    orderBy: [{ pathway: 'asc' }, { title: 'asc' }],
  })
  const pending = await getDb().runbookRevision.groupBy({ by: ['runbookId'], where: { status: 'in_review' }, _count: true })
  const inReview = new Map(pending.map((p) => [p.runbookId, p._count]))
  return runbooks.map((r) => ({ ...r, inReview: inReview.get(r.id) ?? 0 }))
}

export async function listOwners(context: RequestContext): Promise<string[]> {
  requirePermission(context, 'console:read')
  const rows = await getDb().$queryRaw<{ owner: string }[]>`SELECT DISTINCT unnest(owners) AS owner FROM runbooks ORDER BY 1`
  return rows.map((r) => r.owner)
}

function serializeRevision<T extends { id: bigint }>(revision: T) {
  return { ...revision, id: revision.id.toString() }
}

/** A runbook with the revision to show: the published one, or the number asked for. */
export async function getRunbook(context: RequestContext, id: string, revisionNumber?: number) {
  requirePermission(context, 'console:read')
  const db = getDb()
  const runbook = await db.runbook.findUnique({ where: { id } })
  if (!runbook) throw new AppError('not_found', `There is no runbook "${id}".`)
  const number = revisionNumber ?? runbook.publishedRevision ?? runbook.headRevision
  const revision = await db.runbookRevision.findUnique({ where: { runbookId_number: { runbookId: id, number } } })
  if (!revision) throw new AppError('not_found', `Runbook "${id}" has no revision ${number}.`)
  const parsed = parseRunbook(revision.content)
  return { runbook, revision: serializeRevision(revision), body: parsed.ok ? parsed.body : revision.content, frontMatter: parsed.ok ? parsed.frontMatter : null }
}

export async function listRevisions(context: RequestContext, id: string) {
  requirePermission(context, 'console:read')
  const revisions = await getDb().runbookRevision.findMany({
    where: { runbookId: id },
    orderBy: { number: 'desc' },
    select: { id: true, number: true, message: true, status: true, source: true, basedOn: true, authorName: true, authorId: true, reviewedByName: true, reviewedAt: true, createdAt: true },
  })
  return revisions.map(serializeRevision)
}

/** Problems that make a revision unsavable: broken front matter, a changed id, a PromQL block that does not parse. */
export function validateRunbookContent(id: string, content: string): string[] {
  const parsed = parseRunbook(content)
  if (!parsed.ok) return parsed.errors
  const problems: string[] = []
  if (parsed.frontMatter.id !== id) problems.push(`id: must stay "${id}" (a runbook's id is its link)`)
  extractPromqlBlocks(parsed.body).forEach((block, i) => {
    const check = checkPromql(block)
    if (!check.ok) problems.push(`promql block ${i + 1}: ${check.error}`)
  })
  return problems
}

export interface SaveConflict {
  headRevision: number
  theirs: { number: number; content: string; authorName: string; createdAt: string; message: string }
}

/**
 * Saves an edit as a new draft revision. The save names the head revision it started from; if someone saved in the
 * meantime it is refused with their revision, so the editor can see both texts (theirs here, theirs in their box).
 */
export async function saveRevision(context: RequestContext, id: string, input: { content: string; message: string; baseRevision: number }) {
  const actor = requirePermission(context, 'runbook:write')
  const problems = validateRunbookContent(id, input.content)
  if (problems.length > 0) throw new AppError('validation_failed', 'The runbook cannot be saved: fix the problems listed.', { issues: problems.map((message) => ({ path: 'content', message })) })
  const db = getDb()
  return db.$transaction(async (tx) => {
    // The conditional update is the lock: of two saves from the same base, exactly one matches.
    const claimed = await tx.runbook.updateMany({ where: { id, headRevision: input.baseRevision }, data: { headRevision: { increment: 1 } } })
    if (claimed.count === 0) {
      const runbook = await tx.runbook.findUnique({ where: { id } })
      if (!runbook) throw new AppError('not_found', `There is no runbook "${id}".`)
      const theirs = await tx.runbookRevision.findUniqueOrThrow({ where: { runbookId_number: { runbookId: id, number: runbook.headRevision } } })
      const conflict: SaveConflict = {
        headRevision: runbook.headRevision,
        theirs: { number: theirs.number, content: theirs.content, authorName: theirs.authorName, createdAt: theirs.createdAt.toISOString(), message: theirs.message },
      }
      throw new RunbookConflictError(conflict)
    }
    const number = input.baseRevision + 1
    const revision = await tx.runbookRevision.create({
      data: { runbookId: id, number, content: input.content, message: input.message, status: 'draft', source: 'edit', basedOn: input.baseRevision, authorId: actor.id, authorName: actor.name },
    })
    await recordAudit(tx, context, { action: 'runbook.save', targetType: 'runbook', targetId: id, after: { revision: number, message: input.message } })
    return serializeRevision(revision)
  })
}

export class RunbookConflictError extends AppError {
  constructor(readonly conflict: SaveConflict) {
    super('conflict', `Someone saved revision ${conflict.theirs.number} of this runbook while you were editing. Your text is kept; compare and save again on top of theirs.`, {
      details: conflict,
    })
  }
}

async function changeStatus(context: RequestContext, id: string, number: number, change: 'submit' | 'publish') {
  const actor = requirePermission(context, change === 'publish' ? 'runbook:publish' : 'runbook:write')
  return getDb().$transaction(async (tx) => {
    const [revision] = await tx.$queryRaw<{ status: string; authorId: string | null; content: string }[]>`
      SELECT status, "authorId", content FROM runbook_revisions WHERE "runbookId" = ${id} AND number = ${number} FOR UPDATE`
    if (!revision) throw new AppError('not_found', `Runbook "${id}" has no revision ${number}.`)
    if (change === 'submit') {
      if (revision.status !== 'draft') throw new AppError('conflict', `Revision ${number} is ${revision.status.replace('_', ' ')}, not a draft.`)
      await tx.runbookRevision.update({ where: { runbookId_number: { runbookId: id, number } }, data: { status: 'in_review' } })
    } else {
      if (revision.status !== 'in_review') throw new AppError('conflict', `Revision ${number} is ${revision.status.replace('_', ' ')}; only a revision in review can be published.`)
      if (revision.authorId === actor.id) throw new AppError('forbidden', 'Another editor must review and publish your revision.')
      const parsed = parseRunbook(revision.content)
      if (!parsed.ok) throw new AppError('validation_failed', `Revision ${number} has broken front matter: ${parsed.errors.join('; ')}`)
      await tx.runbookRevision.updateMany({ where: { runbookId: id, status: 'published' }, data: { status: 'superseded' } })
      await tx.runbookRevision.update({
        where: { runbookId_number: { runbookId: id, number } },
        data: { status: 'published', reviewedById: actor.id, reviewedByName: actor.name, reviewedAt: new Date() },
      })
      const fm = parsed.frontMatter
      await tx.runbook.update({
        where: { id },
        data: { publishedRevision: number, title: fm.title, failureClass: fm.failureClass, errorState: fm.errorState, pathway: fm.pathway, owners: fm.owners, signals: fm.signals },
      })
    }
    await recordAudit(tx, context, { action: `runbook.${change}`, targetType: 'runbook', targetId: id, after: { revision: number } })
    return { number, status: change === 'submit' ? 'in_review' : 'published' }
  })
}

export const submitRevision = (context: RequestContext, id: string, number: number) => changeStatus(context, id, number, 'submit')
export const publishRevision = (context: RequestContext, id: string, number: number) => changeStatus(context, id, number, 'publish')

/** Restoring makes the old text the newest draft; history is never rewritten. */
export async function restoreRevision(context: RequestContext, id: string, number: number, baseRevision: number) {
  requirePermission(context, 'runbook:write')
  const old = await getDb().runbookRevision.findUnique({ where: { runbookId_number: { runbookId: id, number } } })
  if (!old) throw new AppError('not_found', `Runbook "${id}" has no revision ${number}.`)
  return saveRevision(context, id, { content: old.content, message: `Restore revision ${number}`, baseRevision })
}

export async function diffRevisions(context: RequestContext, id: string, from: number, to: number) {
  requirePermission(context, 'console:read')
  const db = getDb()
  const [a, b] = await Promise.all([
    db.runbookRevision.findUnique({ where: { runbookId_number: { runbookId: id, number: from } } }),
    db.runbookRevision.findUnique({ where: { runbookId_number: { runbookId: id, number: to } } }),
  ])
  if (!a || !b) throw new AppError('not_found', `Runbook "${id}" has no revision ${!a ? from : to}.`)
  return { from, to, parts: diffLines(a.content, b.content).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed })) }
}

export async function exportRunbook(context: RequestContext, id: string, revisionNumber?: number): Promise<string> {
  const { revision } = await getRunbook(context, id, revisionNumber)
  return revision.content
}

/** The checklist of a runbook as worked in one incident: each step with who ticked it and when. */
export async function getChecklist(context: RequestContext, id: string, incidentNumber: number) {
  requirePermission(context, 'console:read')
  const db = getDb()
  const incident = await db.incident.findUnique({ where: { number: incidentNumber }, select: { id: true, number: true, title: true, startedAt: true, resolvedAt: true } })
  if (!incident) throw new AppError('not_found', `There is no incident INC-${incidentNumber}.`)
  const ticks = await db.checklistTick.findMany({ where: { incidentId: incident.id, runbookId: id } })
  return { incident, ticks: ticks.map((t) => ({ ...serializeRevision(t), at: t.at.toISOString() })) }
}

export async function setChecklistTick(context: RequestContext, id: string, input: { incident: number; itemKey: string; checked: boolean }) {
  const actor = requirePermission(context, 'incident:write')
  const { body, runbook } = await getRunbook(context, id)
  const item = extractChecklist(body).find((i) => i.key === input.itemKey)
  if (!item) throw new AppError('bad_request', 'That step is not in the published runbook (it may have changed): reload the page.')
  const db = getDb()
  return db.$transaction(async (tx) => {
    const incident = await tx.incident.findUnique({ where: { number: input.incident }, select: { id: true } })
    if (!incident) throw new AppError('not_found', `There is no incident INC-${input.incident}.`)
    const tick = await tx.checklistTick.upsert({
      where: { incidentId_runbookId_itemKey: { incidentId: incident.id, runbookId: id, itemKey: item.key } },
      create: { incidentId: incident.id, runbookId: id, itemKey: item.key, itemText: item.text, checked: input.checked, byId: actor.id, byName: actor.name },
      update: { checked: input.checked, byId: actor.id, byName: actor.name, at: new Date() },
    })
    await tx.timelineEntry.create({
      data: {
        incidentId: incident.id,
        kind: 'checklist',
        actorId: actor.id,
        actorName: actor.name,
        body: `${input.checked ? 'Done' : 'Un-ticked'} in runbook “${runbook.title}”: ${item.text}`,
        data: { runbookId: id, itemKey: item.key, checked: input.checked } as Prisma.InputJsonValue,
      },
    })
    await recordAudit(tx, context, { action: 'runbook.checklist', targetType: 'incident', targetId: incident.id, after: { runbookId: id, step: item.text, checked: input.checked } })
    return { ...tick, id: tick.id.toString() }
  })
}
