import 'server-only'
import { AppError } from '@/lib/errors'
import type { Prisma } from '@/lib/db'
import { findFailureClass } from '@/lib/taxonomy'

/** What the library shows of a case (everything but the snapshot). */
export const caseFields = {
  id: true,
  number: true,
  title: true,
  traceId: true,
  category: true,
  notes: true,
  tags: true,
  pipeline: true,
  models: true,
  source: true,
  spanCount: true,
  traceStartedAt: true,
  pinnedById: true,
  pinnedByName: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  incidents: {
    select: { linkedAt: true, incident: { select: { number: true, title: true, status: true, severity: true } } },
    orderBy: { linkedAt: 'asc' },
  },
} as const satisfies Prisma.TraceCaseSelect

export type CaseRow = Prisma.TraceCaseGetPayload<{ select: typeof caseFields }>

export interface LinkedIncident {
  number: number
  title: string
  status: string
  severity: string
  linkedAt: Date
}

export interface CaseDetail {
  id: string
  number: number
  title: string
  traceId: string
  category: string
  /** the failure class's title, for people; the id is in `category` */
  categoryTitle: string
  notes: string
  tags: string[]
  pipeline: string | null
  models: string[]
  /** where the snapshot came from: "OTLP receiver", "Jaeger", "Tempo", or "import" */
  source: string
  spanCount: number
  traceStartedAt: Date
  pinnedById: string | null
  pinnedByName: string | null
  version: number
  createdAt: Date
  updatedAt: Date
  incidents: LinkedIncident[]
}

export type CaseSummary = Omit<CaseDetail, 'notes'>

export function toCaseDetail(row: CaseRow): CaseDetail {
  const { incidents, ...rest } = row
  return {
    ...rest,
    categoryTitle: findFailureClass(row.category)?.title ?? row.category,
    incidents: incidents.map((link) => ({ ...link.incident, severity: String(link.incident.severity), status: String(link.incident.status), linkedAt: link.linkedAt })),
  }
}

export function toCaseSummary(row: CaseRow): CaseSummary {
  const { notes: _notes, ...summary } = toCaseDetail(row)
  return summary
}

/** The audit log's view of a case: the curated fields and links, not the snapshot (it is in the export on delete). */
export function auditView(detail: CaseDetail) {
  return {
    number: detail.number,
    title: detail.title,
    category: detail.category,
    notes: detail.notes,
    tags: detail.tags,
    traceId: detail.traceId,
    pipeline: detail.pipeline,
    models: detail.models,
    source: detail.source,
    version: detail.version,
    incidents: detail.incidents.map((i) => i.number),
  }
}

export function caseNotFound(number: number): AppError {
  return new AppError('not_found', `There is no case CASE-${number}. It may have been deleted; the audit log keeps its export.`)
}

type Tx = Prisma.TransactionClient

/** Resolves incident numbers to ids; any missing number is the named field's error. */
export async function incidentsByNumber(tx: Tx, numbers: number[], field: string): Promise<{ id: string; number: number; title: string }[]> {
  if (numbers.length === 0) return []
  const found = await tx.incident.findMany({ where: { number: { in: numbers } }, select: { id: true, number: true, title: true } })
  const missing = numbers.map((n, i) => ({ n, i })).filter(({ n }) => !found.some((f) => f.number === n))
  if (missing.length > 0) {
    throw new AppError('bad_request', `There is no incident ${missing.map(({ n }) => `INC-${n}`).join(', ')}; nothing was saved.`, {
      issues: missing.map(({ n, i }) => ({ path: `${field}.${i}`, message: `there is no incident INC-${n}` })),
    })
  }
  return numbers.map((n) => found.find((f) => f.number === n)!)
}

/** The incident's timeline records the link too, so the case shows up from both sides. */
export async function recordCaseLinks(
  tx: Tx,
  actor: { id: string; name: string },
  kase: { number: number; title: string },
  incidents: { id: string }[],
  change: 'linked' | 'unlinked' | 'deleted',
): Promise<void> {
  if (incidents.length === 0) return
  await tx.timelineEntry.createMany({
    data: incidents.map((incident) =>
      change === 'linked'
        ? { incidentId: incident.id, kind: 'link', body: `Case CASE-${kase.number} linked: ${kase.title}`, data: { url: `/cases/${kase.number}`, caseNumber: kase.number }, actorId: actor.id, actorName: actor.name }
        : { incidentId: incident.id, kind: 'case', body: `Case CASE-${kase.number} ${change}: ${kase.title}`, data: { caseNumber: kase.number }, actorId: actor.id, actorName: actor.name },
    ),
  })
}
