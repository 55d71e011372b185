/**
 * The built-in trace source: what the OTLP receiver stored (lib/traces/store). getTrace reads a trace's spans;
 * search reads the per-trace summary rows (time range by trace start, service, gen_ai.request.model, errors,
 * duration) and only touches spans for attribute filters.
 */
import { isDatabaseUnavailable } from '@/lib/errors'
import { logger } from '@/lib/logger'
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client'
import { normalizeTraceId, TraceSourceError, type Attributes, type SpanEvent, type SpanKind, type SpanStatusCode, type Trace, type TraceSearch, type TraceSource, type TraceSpan, type TraceSummary } from '../model'

export const STORED_SOURCE_NAME = 'OTLP receiver'
/** search answers at most this many traces, whatever the query's limit says */
export const MAX_SEARCH_LIMIT = 1000

interface SpanRow {
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  service: string
  kind: string
  startUs: number
  durationUs: number
  statusCode: string
  statusMessage: string | null
  attributes: unknown
  resource: unknown
  scope: unknown
  events: unknown
  links: unknown
}

interface TraceRow {
  traceId: string
  startUs: number
  endUs: number
  spanCount: number
  errorCount: number
  services: string[]
  models: string[]
  rootService: string
  rootName: string
}

export function spanFromRow(row: SpanRow): TraceSpan {
  const scope = row.scope as TraceSpan['scope'] | null
  return {
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    name: row.name,
    service: row.service,
    kind: row.kind as SpanKind,
    startUs: row.startUs,
    durationUs: row.durationUs,
    status: { code: row.statusCode as SpanStatusCode, ...(row.statusMessage !== null ? { message: row.statusMessage } : {}) },
    attributes: (row.attributes ?? {}) as Attributes,
    resource: (row.resource ?? {}) as Attributes,
    ...(scope ? { scope } : {}),
    events: (row.events ?? []) as SpanEvent[],
    links: (row.links ?? []) as TraceSpan['links'],
  }
}

/** Why a trace is incomplete: spans whose parent never arrived (or was pruned). */
export function missingParents(spans: TraceSpan[]): Trace['partial'] | undefined {
  const ids = new Set(spans.map((s) => s.spanId))
  const orphans = spans.filter((s) => s.parentSpanId !== null && !ids.has(s.parentSpanId))
  if (orphans.length === 0) return undefined
  const parents = [...new Set(orphans.map((s) => s.parentSpanId))]
  return {
    reason: `${orphans.length} span${orphans.length === 1 ? '' : 's'} name${orphans.length === 1 ? 's a parent' : ' parents'} that Firebreak never received (${parents.slice(0, 3).join(', ')}${parents.length > 3 ? ', …' : ''}): the sender may not export them, or they are still on their way.`,
  }
}

/** The database's own message goes to the log, not to the user: it can name tables, hosts and SQL. */
function asBackendError(error: unknown): never {
  if (error instanceof TraceSourceError) throw error
  logger.warn('trace store read failed', { error })
  throw new TraceSourceError(isDatabaseUnavailable(error) ? "Firebreak's trace store (its database) is unavailable right now" : "Firebreak's trace store could not be read; the error is in the server log", 'backend')
}

export class StoredTraceSource implements TraceSource {
  readonly name = STORED_SOURCE_NAME
  private readonly client?: PrismaClient

  /**
   * Without a client, the app's (getDb) is used on first need. It is imported then, not at the top: lib/db is
   * server-only, and scripts (benchmarks, seeds) pass their own client.
   */
  constructor(db?: PrismaClient) {
    this.client = db
  }

  private async db(): Promise<PrismaClient> {
    return this.client ?? (await import('@/lib/db')).getDb()
  }

  async getTrace(traceId: string): Promise<Trace | null> {
    const id = normalizeTraceId(traceId)
    if (!id) throw new TraceSourceError(`"${traceId}" is not a trace id: 32 hex digits (or 16 from older Jaeger clients).`, 'query')
    let rows: SpanRow[]
    try {
      rows = await (await this.db()).$queryRaw<SpanRow[]>`
        SELECT "traceId", "spanId", "parentSpanId", name, service, kind, "startUs", "durationUs", "statusCode", "statusMessage",
               attributes, resource, scope, events, links
        FROM spans WHERE "traceId" = ${id} ORDER BY "startUs", "spanId"`
    } catch (error) {
      asBackendError(error)
    }
    if (rows.length === 0) return null
    const spans = rows.map(spanFromRow)
    const partial = missingParents(spans)
    return { traceId: id, spans, source: this.name, ...(partial ? { partial } : {}) }
  }

  async search(query: TraceSearch): Promise<TraceSummary[]> {
    const startMs = query.start.getTime()
    const endMs = query.end.getTime()
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new TraceSourceError('The search needs a start and an end time.', 'query')
    if (startMs > endMs) throw new TraceSourceError('The search starts after it ends.', 'query')
    if (query.minDurationMs !== undefined && query.maxDurationMs !== undefined && query.minDurationMs > query.maxDurationMs) {
      throw new TraceSourceError('The minimum duration is above the maximum.', 'query')
    }
    const limit = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(query.limit) || 20))
    const where: Prisma.Sql[] = [Prisma.sql`t."startUs" >= ${startMs * 1000}`, Prisma.sql`t."startUs" <= ${endMs * 1000 + 999.999}`]
    if (query.service) where.push(Prisma.sql`t.services @> ARRAY[${query.service}]::text[]`)
    if (query.model) where.push(Prisma.sql`t.models @> ARRAY[${query.model}]::text[]`)
    if (query.status === 'error') where.push(Prisma.sql`t."errorCount" > 0`)
    if (query.status === 'ok') where.push(Prisma.sql`t."errorCount" = 0`)
    if (query.minDurationMs !== undefined) where.push(Prisma.sql`t."endUs" - t."startUs" >= ${query.minDurationMs * 1000}`)
    if (query.maxDurationMs !== undefined) where.push(Prisma.sql`t."endUs" - t."startUs" <= ${query.maxDurationMs * 1000}`)
    for (const [key, value] of Object.entries(query.attributes ?? {})) {
      where.push(Prisma.sql`EXISTS (SELECT 1 FROM spans s WHERE s."traceId" = t."traceId" AND (s.attributes ->> ${key} = ${value} OR s.resource ->> ${key} = ${value}))`)
    }
    let rows: TraceRow[]
    try {
      rows = await (await this.db()).$queryRaw<TraceRow[]>`
        SELECT t."traceId", t."startUs", t."endUs", t."spanCount", t."errorCount", t.services, t.models, t."rootService", t."rootName"
        FROM traces t
        WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY t."startUs" DESC, t."traceId"
        LIMIT ${limit}`
    } catch (error) {
      asBackendError(error)
    }
    return rows.map((r) => ({
      traceId: r.traceId,
      rootService: r.rootService,
      rootName: r.rootName,
      startUs: r.startUs,
      durationUs: r.endUs - r.startUs,
      spanCount: r.spanCount,
      errorCount: r.errorCount,
      services: r.services,
      models: r.models,
    }))
  }
}
