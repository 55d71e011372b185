import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { getTraceConfig, type TraceConfig } from '@/lib/traces/config'
import type { Trace, TraceSource } from '@/lib/traces/model'
import { redactTrace } from '@/lib/traces/redact'
import { findTrace } from '@/lib/traces/sources'
import { describeTrace, type TraceFacts } from './describe'
import { caseFileName, parseCaseDocument, toCaseDocument, type CaseDocument } from './document'
import { auditView, caseFields, caseNotFound, incidentsByNumber, recordCaseLinks, toCaseDetail, type CaseDetail } from './rows'
import type { PinCaseInput } from './schemas'
import { traceSchema } from './trace-schema'

/** A snapshot lives in one jsonb value; past this it is refused rather than stored half-usable. */
export const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024

export interface CaseDependencies {
  /** where pinning looks the trace up; the configured sources (OTLP store, Jaeger, Tempo) by default */
  sources?: TraceSource[]
  /** the trace configuration (redaction, attribute names, detectors); the configuration file's by default */
  config?: TraceConfig
}

interface NewCase {
  title: string
  category: string
  notes: string
  tags: string[]
  incidentNumbers: number[]
  source: string
  facts: TraceFacts
  /** redacted */
  trace: Trace
}

function snapshotJson(trace: Trace): Prisma.InputJsonValue {
  const text = JSON.stringify(trace)
  if (text.length > MAX_SNAPSHOT_BYTES) {
    throw new AppError('payload_too_large', `The trace is too large to keep as a case (${Math.round(text.length / 1_048_576)} MB of spans, at most ${MAX_SNAPSHOT_BYTES / 1_048_576} MB).`)
  }
  return JSON.parse(text) as Prisma.InputJsonValue
}

async function createCase(context: RequestContext, input: NewCase, action: 'case.pin' | 'case.import'): Promise<CaseDetail> {
  const actor = requirePermission(context, 'case:write')
  const snapshot = snapshotJson(input.trace)
  return getDb().$transaction(async (tx) => {
    const incidents = await incidentsByNumber(tx, input.incidentNumbers, 'incidentNumbers')
    const row = await tx.traceCase.create({
      data: {
        title: input.title,
        traceId: input.trace.traceId,
        category: input.category,
        notes: input.notes,
        tags: input.tags,
        pipeline: input.facts.pipeline,
        models: input.facts.models,
        source: input.source,
        snapshot,
        spanCount: input.facts.spanCount,
        traceStartedAt: input.facts.traceStartedAt,
        pinnedById: actor.id,
        pinnedByName: actor.name,
        incidents: { create: incidents.map((incident) => ({ incidentId: incident.id })) },
      },
      select: caseFields,
    })
    const detail = toCaseDetail(row)
    await recordCaseLinks(tx, actor, detail, incidents, 'linked')
    await recordAudit(tx, context, { action, targetType: 'case', targetId: row.id, after: { ...auditView(detail), spanCount: detail.spanCount } })
    return detail
  })
}

/**
 * Pins a trace as a case: looks it up in the trace sources, redacts it, and keeps the whole redacted trace in the case,
 * so the case outlives the backend's retention. Not found anywhere is a 404 that names the sources asked; a source that
 * was down while nothing else had the trace is a 503 (the trace may well be there).
 */
export async function pinCase(context: RequestContext, input: PinCaseInput, deps: CaseDependencies = {}): Promise<CaseDetail> {
  requirePermission(context, 'case:write')
  const config = deps.config ?? getTraceConfig()
  const found = await findTrace(input.traceId, deps.sources)
  if (!found.trace || !found.source) {
    const failed = found.sourceErrors.filter((e) => e.kind === 'backend')
    if (failed.length > 0) {
      throw new AppError('unavailable', `Trace ${input.traceId} was not found, and ${failed.map((e) => e.message).join('; ')}. Try again when the backend answers; nothing was pinned.`, { retryAfterSeconds: 30 })
    }
    const searched = found.searched.length ? found.searched.join(', ') : 'no trace source is configured'
    throw new AppError('not_found', `No trace source has trace ${input.traceId} (searched: ${searched}). It may be past the backend's retention or not sent yet; nothing was pinned.`)
  }
  const trace = redactTrace(found.trace, config)
  return createCase(
    context,
    { title: input.title, category: input.category, notes: input.notes, tags: input.tags, incidentNumbers: input.incidentNumbers, source: found.source, facts: describeTrace(trace, config), trace },
    'case.pin',
  )
}

/** The stored snapshot, checked against the trace model before it is used or leaves the server. */
export function snapshotOf(row: { number: number; snapshot: unknown }): Trace {
  const parsed = traceSchema.safeParse(row.snapshot)
  if (!parsed.success) throw new AppError('internal', `The snapshot of CASE-${row.number} is not a valid trace`, { cause: parsed.error })
  return parsed.data
}

export async function exportCase(context: RequestContext, number: number): Promise<{ fileName: string; document: CaseDocument }> {
  requirePermission(context, 'console:read')
  const row = await getDb().traceCase.findUnique({ where: { number }, select: { ...caseFields, snapshot: true } })
  if (!row) throw caseNotFound(number)
  return { fileName: caseFileName(number), document: toCaseDocument({ ...row, snapshot: snapshotOf(row) }) }
}

/**
 * Imports a case file (`firebreak.case/v1`) as a new case. The file's trace is redacted with this installation's rules
 * too: a file may come from a Firebreak that redacts less. Every mistake in the file is reported with its path.
 */
export async function importCase(context: RequestContext, document: unknown, deps: Pick<CaseDependencies, 'config'> = {}): Promise<CaseDetail> {
  requirePermission(context, 'case:write')
  const config = deps.config ?? getTraceConfig()
  const parsed = parseCaseDocument(document, config)
  if (!parsed.ok) {
    throw new AppError('bad_request', `The case file has ${parsed.issues.length === 1 ? 'a mistake' : `${parsed.issues.length} mistakes`}; nothing was imported.`, { issues: parsed.issues.slice(0, 50) })
  }
  const { value } = parsed
  const trace = redactTrace(value.trace, config)
  const facts = describeTrace(trace, config)
  return createCase(
    context,
    {
      title: value.title,
      category: value.category,
      notes: value.notes,
      tags: value.tags,
      incidentNumbers: [],
      source: 'import',
      // the file's curated pipeline and models stand; counts and times are the trace's
      facts: { ...facts, pipeline: value.pipeline, models: value.models },
      trace,
    },
    'case.import',
  )
}
