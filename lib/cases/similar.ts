import 'server-only'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { getTraceConfig, type TraceConfig } from '@/lib/traces/config'
import type { Finding, Trace } from '@/lib/traces/model'
import { redactTrace } from '@/lib/traces/redact'
import { findTrace } from '@/lib/traces/sources'
import { describeTrace } from './describe'
import type { CaseDependencies } from './pin'
import { caseNotFound } from './rows'
import { findingsOf } from './service'
import { similarCases, suggestedCategory, type CaseCandidate, type SimilarCase } from './similarity'
import { traceSchema } from './trace-schema'

/**
 * How many stored cases one comparison reads (their snapshots are parsed and run through the detectors): the newest
 * cases sharing the category, a model or the pipeline, then the newest of all. Enough for a library curated by hand;
 * past that, the oldest unrelated cases are not compared.
 */
export const RELATED_CANDIDATES = 200
export const RECENT_CANDIDATES = 100

export interface SimilarResult {
  traceId: string
  /** the category "same category" means: the case's own, the one asked for, or what the trace's findings suggest */
  category: string | null
  /** the findings the comparison used, on the trace as pinned or as found */
  findings: Finding[]
  inCategory: SimilarCase[]
  overall: SimilarCase[]
  /** how many cases were compared */
  compared: number
}

async function candidatesFor(trace: Trace, category: string | null, config: TraceConfig, excludeCaseId?: string): Promise<CaseCandidate[]> {
  const db = getDb()
  const facts = describeTrace(trace, config)
  const related = [
    ...(category ? [{ category }] : []),
    ...(facts.models.length ? [{ models: { hasSome: facts.models } }] : []),
    ...(facts.pipeline ? [{ pipeline: facts.pipeline }] : []),
  ]
  const select = { id: true, number: true, title: true, category: true, traceId: true, snapshot: true } as const
  const orderBy = [{ traceStartedAt: 'desc' as const }, { number: 'desc' as const }]
  const exclude = excludeCaseId ? { id: { not: excludeCaseId } } : {}
  const [byRelation, recent] = await Promise.all([
    related.length ? db.traceCase.findMany({ where: { ...exclude, OR: related }, select, orderBy, take: RELATED_CANDIDATES }) : [],
    db.traceCase.findMany({ where: exclude, select, orderBy, take: RECENT_CANDIDATES }),
  ])
  const rows = new Map([...byRelation, ...recent].map((row) => [row.id, row]))
  const candidates: CaseCandidate[] = []
  for (const row of rows.values()) {
    const parsed = traceSchema.safeParse(row.snapshot)
    // a snapshot that no longer reads as a trace cannot be compared; the case page reports it
    if (!parsed.success) continue
    candidates.push({ id: row.id, number: row.number, title: row.title, category: row.category, traceId: row.traceId, trace: parsed.data, findings: findingsOf(parsed.data, config) })
  }
  return candidates
}

function compare(trace: Trace, findings: Finding[], category: string | null, candidates: CaseCandidate[], limit: number, config: TraceConfig, excludeCaseId?: string): SimilarResult {
  const { inCategory, overall } = similarCases({ trace, findings }, candidates, { category: category ?? undefined, limit, config, excludeCaseId })
  return { traceId: trace.traceId, category, findings, inCategory, overall, compared: candidates.length }
}

/**
 * "Seen before" for a trace: looked up in the trace sources (redacted as pinning would), or, once the backend has
 * dropped it, the newest case pinned from it. Same category means `category` when given, else the class most of the
 * trace's findings point to.
 */
export async function similarToTrace(
  context: RequestContext,
  traceId: string,
  options: { category?: string; limit?: number } = {},
  deps: CaseDependencies = {},
): Promise<SimilarResult> {
  requirePermission(context, 'console:read')
  const config = deps.config ?? getTraceConfig()
  const found = await findTrace(traceId, deps.sources)
  let trace: Trace | null = found.trace ? redactTrace(found.trace, config) : null
  if (!trace) {
    const pinned = await getDb().traceCase.findFirst({ where: { traceId }, select: { snapshot: true }, orderBy: { number: 'desc' } })
    const parsed = pinned ? traceSchema.safeParse(pinned.snapshot) : null
    trace = parsed?.success ? parsed.data : null
  }
  if (!trace) {
    const problems = found.sourceErrors.length ? ` (${found.sourceErrors.map((e) => e.message).join('; ')})` : ''
    throw new AppError('not_found', `No trace source has trace ${traceId} and no case was pinned from it${problems}.`)
  }
  const findings = findingsOf(trace, config)
  const category = options.category ?? suggestedCategory(findings) ?? null
  return compare(trace, findings, category, await candidatesFor(trace, category, config), options.limit ?? 10, config)
}

/** "Seen before" for a case: the other cases like its snapshot, same category meaning the case's own. */
export async function similarToCase(context: RequestContext, number: number, options: { limit?: number } = {}, deps: Pick<CaseDependencies, 'config'> = {}): Promise<SimilarResult> {
  requirePermission(context, 'console:read')
  const config = deps.config ?? getTraceConfig()
  const row = await getDb().traceCase.findUnique({ where: { number }, select: { id: true, category: true, snapshot: true } })
  if (!row) throw caseNotFound(number)
  const parsed = traceSchema.safeParse(row.snapshot)
  if (!parsed.success) throw new AppError('internal', `The snapshot of CASE-${number} is not a valid trace`, { cause: parsed.error })
  const findings = findingsOf(parsed.data, config)
  return compare(parsed.data, findings, row.category, await candidatesFor(parsed.data, row.category, config, row.id), options.limit ?? 10, config, row.id)
}
