import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { gatherFacts, type FactsDependencies } from './gather'
import { checkTransition, isEditable, isReadyForPostmortem, publishBlockers } from './lifecycle'
import { exportFileName, postmortemToMarkdown } from './markdown'
import { PINNED_KINDS, prefillContent, timelineFromIncident } from './prefill'
import { postmortemFields, postmortemNotFound, readContent, summaryFields, toPostmortemView, toSummary } from './rows'
import { MAX_TIMELINE_ENTRIES, type CommentInput, type ListPostmortemsQuery, type PostmortemContent, type PostmortemStatus, type SavePostmortemInput, type TransitionInput } from './schemas'
import type { CommentView, PostmortemSummary, PostmortemView, RevisionView, SaveConflictDetails } from './views'

type Tx = Prisma.TransactionClient

const json = (value: unknown) => value as Prisma.InputJsonValue

export async function listPostmortems(context: RequestContext, query: ListPostmortemsQuery, options: { now?: Date } = {}): Promise<PostmortemSummary[]> {
  requirePermission(context, 'console:read')
  const and: Prisma.PostmortemWhereInput[] = []
  if (query.status) and.push({ status: query.status })
  if (query.incident) and.push({ incident: { number: query.incident } })
  if (query.case) and.push({ cases: { some: { traceCase: { number: query.case } } } })
  if (query.q) {
    const number = /^(?:pm-)?(\d{1,9})$/i.exec(query.q)?.[1]
    and.push({ OR: [{ title: { contains: query.q, mode: 'insensitive' } }, { incident: { title: { contains: query.q, mode: 'insensitive' } } }, ...(number ? [{ number: Number(number) }] : [])] })
  }
  const rows = await getDb().postmortem.findMany({ where: and.length ? { AND: and } : {}, select: summaryFields, orderBy: [{ createdAt: 'desc' }, { number: 'desc' }], take: query.limit })
  const now = options.now ?? new Date()
  return rows.map((row) => toSummary(row, now))
}

/** The content Firebreak generated when the postmortem was started (revision 1): what "written" is measured against. */
async function generatedContent(db: Tx | ReturnType<typeof getDb>, postmortemId: string): Promise<PostmortemContent | null> {
  const first = await db.postmortemRevision.findUnique({ where: { postmortemId_version: { postmortemId, version: 1 } }, select: { content: true } })
  return first ? readContent(first.content) : null
}

export async function getPostmortem(context: RequestContext, number: number, options: { now?: Date } = {}): Promise<PostmortemView> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const row = await db.postmortem.findUnique({ where: { number }, select: postmortemFields })
  if (!row) throw postmortemNotFound(number)
  return toPostmortemView(row, await generatedContent(db, row.id), options.now ?? new Date())
}

/**
 * Starts the postmortem of a mitigated or resolved incident, mostly written already: the facts snapshot, the incident's
 * timeline, first drafts of the sections the facts answer, and the incident's traced cases cited.
 */
export async function createPostmortem(context: RequestContext, incidentNumber: number, deps: FactsDependencies = {}): Promise<PostmortemView> {
  const actor = requirePermission(context, 'postmortem:write')
  const db = getDb()
  const incident = await db.incident.findUnique({ where: { number: incidentNumber }, select: { id: true, number: true, title: true, status: true, startedAt: true, postmortem: { select: { number: true } } } })
  if (!incident) throw new AppError('not_found', `There is no incident INC-${incidentNumber}.`)
  if (incident.postmortem) throw alreadyStarted(incidentNumber, incident.postmortem.number)
  if (!isReadyForPostmortem(incident.status)) {
    throw new AppError('conflict', `INC-${incidentNumber} is ${incident.status}: a postmortem starts once the incident is mitigated or resolved.`)
  }
  const facts = await gatherFacts(db, incident.id, deps)
  // milestones are read apart from the rest, so that a noisy incident's resolution is not cut off by the limit
  const milestones = { incidentId: incident.id, kind: { in: [...PINNED_KINDS] } }
  const [pinnedRows, otherRows] = await Promise.all([
    db.timelineEntry.findMany({ where: milestones, orderBy: [{ at: 'asc' }, { id: 'asc' }], take: MAX_TIMELINE_ENTRIES }),
    db.timelineEntry.findMany({ where: { incidentId: incident.id, NOT: { kind: { in: [...PINNED_KINDS] } } }, orderBy: [{ at: 'asc' }, { id: 'asc' }], take: MAX_TIMELINE_ENTRIES }),
  ])
  const content = prefillContent(facts, timelineFromIncident([...pinnedRows, ...otherRows], incident.startedAt))
  let number: number
  try {
    number = await db.$transaction(async (tx) => {
      const pm = await tx.postmortem.create({
        data: { incidentId: incident.id, title: incident.title, content: json(content), facts: json(facts), createdById: actor.id, createdByName: actor.name },
        select: { id: true, number: true },
      })
      await tx.postmortemRevision.create({ data: { postmortemId: pm.id, version: 1, title: incident.title, content: json(content), status: 'draft', authorId: actor.id, authorName: actor.name } })
      // the incident's traced cases are cited from the start (read inside the transaction: a link made meanwhile counts)
      const links = await tx.traceCaseIncident.findMany({ where: { incidentId: incident.id }, select: { caseId: true } })
      if (links.length) await tx.postmortemCase.createMany({ data: links.map((l) => ({ postmortemId: pm.id, caseId: l.caseId })), skipDuplicates: true })
      await tx.timelineEntry.create({
        data: { incidentId: incident.id, kind: 'link', body: `Postmortem PM-${pm.number} started`, data: { url: `/postmortems/${pm.number}`, postmortemNumber: pm.number }, actorId: actor.id, actorName: actor.name },
      })
      await recordAudit(tx, context, { action: 'postmortem.create', targetType: 'postmortem', targetId: pm.id, after: { number: pm.number, incident: incidentNumber, sloImpact: facts.sloImpact.status } })
      return pm.number
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const existing = await db.postmortem.findUnique({ where: { incidentId: incident.id }, select: { number: true } })
      throw alreadyStarted(incidentNumber, existing?.number ?? null)
    }
    throw error
  }
  return getPostmortem(context, number, { now: deps.now })
}

function alreadyStarted(incidentNumber: number, number: number | null): AppError {
  return new AppError('conflict', `INC-${incidentNumber} already has a postmortem${number ? `: PM-${number}` : ''}. Open it instead of starting another.`, { details: { number } })
}

async function lockedPostmortem(tx: Tx, number: number) {
  const [locked] = await tx.$queryRaw<{ id: string; status: PostmortemStatus; version: number; incidentId: string }[]>`
    SELECT id, status::text AS status, version, "incidentId" FROM postmortems WHERE number = ${number} FOR UPDATE`
  if (!locked) throw postmortemNotFound(number)
  return locked
}

function publishedError(number: number): AppError {
  return new AppError('conflict', `PM-${number} is published: its text is the record and no longer changes. Comments and action items still can.`)
}

async function conflictDetails(tx: Tx, id: string): Promise<SaveConflictDetails> {
  const current = await tx.postmortem.findUniqueOrThrow({ where: { id }, select: { version: true, title: true, content: true, status: true, updatedAt: true, createdByName: true } })
  const last = await tx.postmortemRevision.findFirst({ where: { postmortemId: id }, orderBy: { version: 'desc' }, select: { authorName: true } })
  return {
    current: { version: current.version, title: current.title, content: readContent(current.content), status: current.status as PostmortemStatus, lastEditorName: last?.authorName ?? current.createdByName, updatedAt: current.updatedAt.toISOString() },
  }
}

/**
 * Saves title and content on top of the version the editor started from. Of two saves from the same version exactly
 * one matches the conditional update; the other gets 409 with the current document, so nothing is lost.
 */
export async function savePostmortem(context: RequestContext, number: number, input: SavePostmortemInput): Promise<PostmortemView> {
  const actor = requirePermission(context, 'postmortem:write')
  await getDb().$transaction(async (tx) => {
    const current = await tx.postmortem.findUnique({ where: { number }, select: { id: true, status: true } })
    if (!current) throw postmortemNotFound(number)
    if (!isEditable(current.status as PostmortemStatus)) throw publishedError(number)
    const { count } = await tx.postmortem.updateMany({
      where: { number, version: input.version, status: { not: 'published' } },
      data: { title: input.title, content: json(input.content), version: { increment: 1 } },
    })
    if (count === 0) {
      const details = await conflictDetails(tx, current.id)
      if (details.current.status === 'published') throw publishedError(number)
      throw new AppError('conflict', `${details.current.lastEditorName} saved PM-${number} (version ${details.current.version}) while you were editing version ${input.version}. Your text is kept: compare both, merge, and save again.`, { details })
    }
    const version = input.version + 1
    await tx.postmortemRevision.create({ data: { postmortemId: current.id, version, title: input.title, content: json(input.content), status: current.status, authorId: actor.id, authorName: actor.name } })
    await recordAudit(tx, context, { action: 'postmortem.save', targetType: 'postmortem', targetId: current.id, after: { number, version } })
  })
  return getPostmortem(context, number)
}

/** submit (draft → in review), return (in review → draft), publish (in review → published, once it is written). */
export async function transitionPostmortem(context: RequestContext, number: number, input: TransitionInput): Promise<PostmortemView> {
  const actor = requirePermission(context, 'postmortem:write')
  await getDb().$transaction(async (tx) => {
    const locked = await lockedPostmortem(tx, number)
    const check = checkTransition(locked.status, input.action)
    if (!check.ok) throw new AppError('conflict', check.reason)
    if (locked.version !== input.version) {
      throw new AppError('conflict', `PM-${number} changed since you loaded it (now version ${locked.version}, you read version ${input.version}). Reload, read the changes, then try again.`, { details: await conflictDetails(tx, locked.id) })
    }
    if (input.action === 'publish') {
      const row = await tx.postmortem.findUniqueOrThrow({ where: { id: locked.id }, select: { content: true } })
      const blockers = publishBlockers(readContent(row.content), await generatedContent(tx, locked.id))
      if (blockers.length) {
        throw new AppError('bad_request', `PM-${number} cannot be published yet: ${blockers.join(' ')}`, { issues: blockers.map((message) => ({ path: 'content', message })) })
      }
    }
    const now = new Date()
    await tx.postmortem.update({
      where: { id: locked.id },
      data: { status: check.to, ...(input.action === 'submit' ? { reviewRequestedAt: now } : {}), ...(input.action === 'publish' ? { publishedAt: now } : {}) },
    })
    if (input.action === 'publish') {
      await tx.timelineEntry.create({
        data: { incidentId: locked.incidentId, kind: 'link', body: `Postmortem PM-${number} published`, data: { url: `/postmortems/${number}`, postmortemNumber: number }, actorId: actor.id, actorName: actor.name },
      })
    }
    await recordAudit(tx, context, { action: `postmortem.${input.action}`, targetType: 'postmortem', targetId: locked.id, before: { status: locked.status }, after: { status: check.to, version: locked.version } })
  })
  return getPostmortem(context, number)
}

/** Takes the facts again (e.g. once Prometheus is back). The written content is not touched. */
export async function refreshFacts(context: RequestContext, number: number, deps: FactsDependencies = {}): Promise<PostmortemView> {
  requirePermission(context, 'postmortem:write')
  const db = getDb()
  const row = await db.postmortem.findUnique({ where: { number }, select: { id: true, status: true, incidentId: true } })
  if (!row) throw postmortemNotFound(number)
  if (row.status === 'published') throw new AppError('conflict', `PM-${number} is published: its facts are the record as published and are not refreshed.`)
  const facts = await gatherFacts(db, row.incidentId, deps)
  await db.$transaction(async (tx) => {
    const { count } = await tx.postmortem.updateMany({ where: { id: row.id, status: { not: 'published' } }, data: { facts: json(facts) } })
    if (count === 0) throw new AppError('conflict', `PM-${number} was published meanwhile; its facts stay as published.`)
    await recordAudit(tx, context, { action: 'postmortem.refresh-facts', targetType: 'postmortem', targetId: row.id, after: { sloImpact: facts.sloImpact.status, capturedAt: facts.capturedAt } })
  })
  return getPostmortem(context, number, { now: deps.now })
}

export async function exportPostmortem(context: RequestContext, number: number, options: { now?: Date; baseUrl?: string } = {}): Promise<{ fileName: string; markdown: string }> {
  const now = options.now ?? new Date()
  const pm = await getPostmortem(context, number, { now })
  return { fileName: exportFileName(number), markdown: postmortemToMarkdown(pm, { exportedAt: now, baseUrl: options.baseUrl }) }
}

export async function listRevisions(context: RequestContext, number: number): Promise<RevisionView[]> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const pm = await db.postmortem.findUnique({ where: { number }, select: { id: true } })
  if (!pm) throw postmortemNotFound(number)
  const rows = await db.postmortemRevision.findMany({ where: { postmortemId: pm.id }, orderBy: { version: 'desc' }, take: 500, select: { version: true, title: true, status: true, authorName: true, createdAt: true } })
  return rows.map((r) => ({ ...r, status: r.status as PostmortemStatus, createdAt: r.createdAt.toISOString() }))
}

export async function getRevision(context: RequestContext, number: number, version: number): Promise<RevisionView & { content: PostmortemContent }> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const pm = await db.postmortem.findUnique({ where: { number }, select: { id: true } })
  if (!pm) throw postmortemNotFound(number)
  const row = await db.postmortemRevision.findUnique({ where: { postmortemId_version: { postmortemId: pm.id, version } } })
  if (!row) throw new AppError('not_found', `PM-${number} has no version ${version}.`)
  return { version: row.version, title: row.title, status: row.status as PostmortemStatus, authorName: row.authorName, createdAt: row.createdAt.toISOString(), content: readContent(row.content) }
}

const toCommentView = (c: { id: bigint; section: string | null; body: string; authorId: string | null; authorName: string; createdAt: Date }): CommentView => ({
  ...c,
  id: c.id.toString(),
  createdAt: c.createdAt.toISOString(),
})

export async function listComments(context: RequestContext, number: number): Promise<CommentView[]> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const pm = await db.postmortem.findUnique({ where: { number }, select: { id: true } })
  if (!pm) throw postmortemNotFound(number)
  const rows = await db.postmortemComment.findMany({ where: { postmortemId: pm.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1_000 })
  return rows.map(toCommentView)
}

/** Comments are open in every status: a published postmortem still gets questions. */
export async function addComment(context: RequestContext, number: number, input: CommentInput): Promise<CommentView> {
  const actor = requirePermission(context, 'postmortem:write')
  return getDb().$transaction(async (tx) => {
    const { id } = await lockedPostmortem(tx, number)
    const comment = await tx.postmortemComment.create({ data: { postmortemId: id, section: input.section, body: input.body, authorId: actor.id, authorName: actor.name } })
    await recordAudit(tx, context, { action: 'postmortem.comment', targetType: 'postmortem', targetId: id, after: { section: input.section, body: input.body.slice(0, 500) } })
    return toCommentView(comment)
  })
}

/** Cites a traced case; the case page lists the postmortems that cite it. */
export async function citeCase(context: RequestContext, number: number, caseNumber: number): Promise<PostmortemView> {
  requirePermission(context, 'postmortem:write')
  await getDb().$transaction(async (tx) => {
    const locked = await lockedPostmortem(tx, number)
    if (locked.status === 'published') throw publishedError(number)
    const kase = await tx.traceCase.findUnique({ where: { number: caseNumber }, select: { id: true } })
    if (!kase) throw new AppError('not_found', `There is no case CASE-${caseNumber}.`)
    const { count } = await tx.postmortemCase.createMany({ data: [{ postmortemId: locked.id, caseId: kase.id }], skipDuplicates: true })
    if (count > 0) await recordAudit(tx, context, { action: 'postmortem.cite-case', targetType: 'postmortem', targetId: locked.id, after: { case: caseNumber } })
  })
  return getPostmortem(context, number)
}

export async function unciteCase(context: RequestContext, number: number, caseNumber: number): Promise<PostmortemView> {
  requirePermission(context, 'postmortem:write')
  await getDb().$transaction(async (tx) => {
    const locked = await lockedPostmortem(tx, number)
    if (locked.status === 'published') throw publishedError(number)
    const { count } = await tx.postmortemCase.deleteMany({ where: { postmortemId: locked.id, traceCase: { number: caseNumber } } })
    if (count === 0) throw new AppError('not_found', `PM-${number} does not cite CASE-${caseNumber}.`)
    await recordAudit(tx, context, { action: 'postmortem.uncite-case', targetType: 'postmortem', targetId: locked.id, before: { case: caseNumber } })
  })
  return getPostmortem(context, number)
}
