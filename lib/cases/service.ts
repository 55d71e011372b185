import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { getTraceConfig, type TraceConfig } from '@/lib/traces/config'
import { detectFindings } from '@/lib/traces/detectors'
import type { Finding, Trace } from '@/lib/traces/model'
import { SpanIndex, toSpanDetail, toTraceView, type SpanDetailView, type TraceView } from '@/lib/traces/view'
import { logger } from '@/lib/logger'
import { toCaseDocument } from './document'
import { canDeleteCase } from './permissions'
import { snapshotOf } from './pin'
import { auditView, caseFields, caseNotFound, incidentsByNumber, recordCaseLinks, toCaseDetail, toCaseSummary, type CaseDetail, type CaseSummary } from './rows'
import type { ListCasesQuery, UpdateCaseInput } from './schemas'

export interface CaseList {
  cases: CaseSummary[]
  total: number
  page: number
  pageSize: number
}

const DAY_MS = 86_400_000

function listWhere(query: ListCasesQuery): Prisma.TraceCaseWhereInput {
  const and: Prisma.TraceCaseWhereInput[] = []
  if (query.category) and.push({ category: query.category })
  if (query.pipeline) and.push({ pipeline: query.pipeline })
  if (query.model) and.push({ models: { has: query.model } })
  if (query.tag) and.push({ tags: { has: query.tag } })
  if (query.from) and.push({ traceStartedAt: { gte: new Date(`${query.from}T00:00:00.000Z`) } })
  if (query.to) and.push({ traceStartedAt: { lt: new Date(Date.parse(`${query.to}T00:00:00.000Z`) + DAY_MS) } })
  if (query.incident) and.push({ incidents: { some: { incident: { number: query.incident } } } })
  if (query.q) {
    const text = query.q
    const or: Prisma.TraceCaseWhereInput[] = [{ title: { contains: text, mode: 'insensitive' } }, { notes: { contains: text, mode: 'insensitive' } }]
    // what people paste: CASE-12, or the trace id itself
    const number = /^case-?(\d{1,9})$/i.exec(text)?.[1]
    if (number) or.push({ number: Number(number) })
    if (/^[0-9a-f]{32}$/i.test(text)) or.push({ traceId: text.toLowerCase() })
    and.push({ OR: or })
  }
  return and.length ? { AND: and } : {}
}

/** The library, filtered, newest trace first (then newest case), one page at a time. */
export async function listCases(context: RequestContext, query: ListCasesQuery): Promise<CaseList> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const where = listWhere(query)
  const [rows, total] = await Promise.all([
    db.traceCase.findMany({ where, select: caseFields, orderBy: [{ traceStartedAt: 'desc' }, { number: 'desc' }], skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
    db.traceCase.count({ where }),
  ])
  return { cases: rows.map(toCaseSummary), total, page: query.page, pageSize: query.pageSize }
}

/** The values the filters can take, for their suggestions: pipelines, models and tags in use. */
export async function caseFacets(context: RequestContext): Promise<{ pipelines: string[]; models: string[]; tags: string[] }> {
  requirePermission(context, 'console:read')
  const db = getDb()
  const [pipelines, models, tags] = await Promise.all([
    db.$queryRaw<{ v: string }[]>`SELECT DISTINCT pipeline AS v FROM trace_cases WHERE pipeline IS NOT NULL ORDER BY 1 LIMIT 200`,
    db.$queryRaw<{ v: string }[]>`SELECT DISTINCT unnest(models) AS v FROM trace_cases ORDER BY 1 LIMIT 200`,
    db.$queryRaw<{ v: string }[]>`SELECT DISTINCT unnest(tags) AS v FROM trace_cases ORDER BY 1 LIMIT 200`,
  ])
  return { pipelines: pipelines.map((r) => r.v), models: models.map((r) => r.v), tags: tags.map((r) => r.v) }
}

/** The cases linked to an incident: the incident's side of the link. */
export async function casesForIncident(context: RequestContext, incidentNumber: number): Promise<CaseSummary[]> {
  requirePermission(context, 'console:read')
  const rows = await getDb().traceCase.findMany({
    where: { incidents: { some: { incident: { number: incidentNumber } } } },
    select: caseFields,
    orderBy: [{ traceStartedAt: 'desc' }, { number: 'desc' }],
    take: 200,
  })
  return rows.map(toCaseSummary)
}

export interface OpenedCase {
  case: CaseDetail
  /** the snapshot as pinned (redacted then) */
  trace: Trace
  /** the detectors over the snapshot, with today's detectors and thresholds */
  findings: Finding[]
}

export function findingsOf(trace: Trace, config: TraceConfig): Finding[] {
  try {
    return detectFindings(trace, config)
  } catch (error) {
    // a detector bug must not hide the case
    logger.error('trace detectors failed on a case snapshot', { traceId: trace.traceId, error })
    return []
  }
}

export async function getCase(context: RequestContext, number: number, options: { config?: TraceConfig } = {}): Promise<OpenedCase> {
  requirePermission(context, 'console:read')
  const row = await getDb().traceCase.findUnique({ where: { number }, select: { ...caseFields, snapshot: true } })
  if (!row) throw caseNotFound(number)
  const { snapshot: _snapshot, ...fields } = row
  const trace = snapshotOf(row)
  return { case: toCaseDetail(fields), trace, findings: findingsOf(trace, options.config ?? getTraceConfig()) }
}

/** The case with its snapshot as the waterfall draws it (compact spans, findings), for the case page. */
export async function openCaseView(context: RequestContext, number: number, options: { config?: TraceConfig } = {}): Promise<{ case: CaseDetail; view: TraceView }> {
  const config = options.config ?? getTraceConfig()
  const opened = await getCase(context, number, { config })
  return { case: opened.case, view: toTraceView({ trace: opened.trace, config, findings: opened.findings, sourceErrors: [] }) }
}

/** One span of the snapshot with its model call, for the span detail beside the case's waterfall. */
export async function getCaseSpan(context: RequestContext, number: number, spanId: string, options: { config?: TraceConfig } = {}): Promise<SpanDetailView> {
  requirePermission(context, 'console:read')
  const row = await getDb().traceCase.findUnique({ where: { number }, select: { number: true, snapshot: true } })
  if (!row) throw caseNotFound(number)
  const trace = snapshotOf(row)
  const index = new SpanIndex(trace)
  const span = index.span(spanId)
  if (!span) throw new AppError('not_found', `CASE-${number}'s trace has no span ${spanId}.`)
  return toSpanDetail(span, index, options.config ?? getTraceConfig())
}

/** Saves on top of the version the editor started from; a save in between gets 409 with the current case. */
export async function updateCase(context: RequestContext, number: number, input: UpdateCaseInput): Promise<CaseDetail> {
  requirePermission(context, 'case:write')
  return getDb().$transaction(async (tx) => {
    const beforeRow = await tx.traceCase.findUnique({ where: { number }, select: caseFields })
    if (!beforeRow) throw caseNotFound(number)
    const before = toCaseDetail(beforeRow)
    const data: Prisma.TraceCaseUpdateManyMutationInput = {}
    if (input.title !== undefined) data.title = input.title
    if (input.category !== undefined) data.category = input.category
    if (input.notes !== undefined) data.notes = input.notes
    if (input.tags !== undefined) data.tags = input.tags
    const { count } = await tx.traceCase.updateMany({ where: { number, version: input.version }, data: { ...data, version: { increment: 1 } } })
    if (count === 0) {
      throw new AppError('conflict', `Someone saved CASE-${number} while you were editing (version ${before.version}, you started from ${input.version}). Reload to see their change, then apply yours again.`, {
        details: { current: before },
      })
    }
    const after = toCaseDetail(await tx.traceCase.findUniqueOrThrow({ where: { number }, select: caseFields }))
    await recordAudit(tx, context, { action: 'case.update', targetType: 'case', targetId: after.id, before: auditView(before), after: auditView(after) })
    return after
  })
}

/**
 * Deletes a case: its pinner or an editor (lib/cases/permissions.ts). The audit entry keeps the whole export
 * document, so an admin can bring the case back with Import.
 */
export async function deleteCase(context: RequestContext, number: number): Promise<void> {
  const actor = requirePermission(context, 'case:write')
  await getDb().$transaction(async (tx) => {
    const row = await tx.traceCase.findUnique({ where: { number }, select: { ...caseFields, snapshot: true } })
    if (!row) throw caseNotFound(number)
    if (!canDeleteCase(actor, row.pinnedById)) {
      throw new AppError('forbidden', `Only ${row.pinnedByName ?? 'the person who pinned it'} or an editor can delete CASE-${number}. Edit it instead, or ask an editor.`)
    }
    const { snapshot: _snapshot, ...fields } = row
    const detail = toCaseDetail(fields)
    const links = await tx.traceCaseIncident.findMany({ where: { caseId: row.id }, select: { incidentId: true } })
    await tx.traceCase.delete({ where: { number } })
    await recordCaseLinks(tx, actor, detail, links.map((l) => ({ id: l.incidentId })), 'deleted')
    await recordAudit(tx, context, { action: 'case.delete', targetType: 'case', targetId: row.id, before: { ...auditView(detail), document: toCaseDocument({ ...row, snapshot: snapshotOf(row) }) } })
  })
}

async function lockedCase(tx: Prisma.TransactionClient, number: number) {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM trace_cases WHERE number = ${number} FOR UPDATE`
  if (!locked) throw caseNotFound(number)
  return locked
}

export async function linkIncident(context: RequestContext, number: number, incidentNumber: number): Promise<CaseDetail> {
  const actor = requirePermission(context, 'case:write')
  return getDb().$transaction(async (tx) => {
    const { id } = await lockedCase(tx, number)
    const incident = await tx.incident.findUnique({ where: { number: incidentNumber }, select: { id: true } })
    if (!incident) throw new AppError('not_found', `There is no incident INC-${incidentNumber}.`)
    const { count } = await tx.traceCaseIncident.createMany({ data: [{ caseId: id, incidentId: incident.id }], skipDuplicates: true })
    const after = toCaseDetail(await tx.traceCase.findUniqueOrThrow({ where: { id }, select: caseFields }))
    // linking twice changes nothing and records nothing
    if (count > 0) {
      await recordCaseLinks(tx, actor, after, [incident], 'linked')
      await recordAudit(tx, context, { action: 'case.link', targetType: 'case', targetId: id, after: { incident: incidentNumber } })
    }
    return after
  })
}

export async function unlinkIncident(context: RequestContext, number: number, incidentNumber: number): Promise<CaseDetail> {
  const actor = requirePermission(context, 'case:write')
  return getDb().$transaction(async (tx) => {
    const { id } = await lockedCase(tx, number)
    const [incident] = await incidentsByNumber(tx, [incidentNumber], 'incidentNumber').catch(() => {
      throw new AppError('not_found', `There is no incident INC-${incidentNumber}.`)
    })
    const { count } = await tx.traceCaseIncident.deleteMany({ where: { caseId: id, incidentId: incident.id } })
    if (count === 0) throw new AppError('not_found', `CASE-${number} is not linked to INC-${incidentNumber}.`)
    const after = toCaseDetail(await tx.traceCase.findUniqueOrThrow({ where: { id }, select: caseFields }))
    await recordCaseLinks(tx, actor, after, [incident], 'unlinked')
    await recordAudit(tx, context, { action: 'case.unlink', targetType: 'case', targetId: id, before: { incident: incidentNumber } })
    return after
  })
}
