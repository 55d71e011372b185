/**
 * The OTLP receiver's span store in PostgreSQL.
 *
 * Two tables (prisma/schema.prisma, migration 20261123020000_spans):
 *   spans   one row per (traceId, spanId) with the TraceSpan fields; attributes, resource, scope, events and links
 *           as JSONB. The primary key is the idempotency key: a retried export inserts nothing.
 *   traces  one row per trace: time range, span and error counts, services, gen_ai.request.model values, root span.
 *           Search reads only this table (plus spans for attribute filters); retention deletes by its receivedAt.
 *
 * Writes are one statement per batch of up to STORE_BATCH_SIZE spans: the rows as one jsonb parameter
 * (jsonb_to_recordset) into INSERT INTO spans ... ON CONFLICT DO NOTHING RETURNING, and the rows it actually inserted are folded into traces by
 * INSERT ... ON CONFLICT DO UPDATE, so counts never double under retries. Rows are sorted by (traceId, spanId) and
 * traces by traceId: concurrent writers take locks in the same order and cannot deadlock. A statement is atomic, and
 * a batch that failed half-way is simply sent again by the exporter.
 */
import type pg from 'pg'
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client'
import { logger } from '@/lib/logger'
import type { TraceSpan } from '../model'

/**
 * Where spans are written: the app's Prisma client, or a pg pool on the same database. The receiver writes through a
 * pool of its own (lib/traces/otlp/pool.ts): for a 2,000-span batch Prisma's raw-query path costs about twice the
 * database's own time (its parameters cross the WebAssembly query compiler), a pool hands them to PostgreSQL directly.
 */
export type SpanStoreDb = PrismaClient | Pick<pg.Pool, 'query'>

async function rawQuery<T>(db: SpanStoreDb, sql: Prisma.Sql): Promise<T[]> {
  if ('$queryRaw' in db) return db.$queryRaw<T[]>(sql)
  return (await db.query(sql.text, sql.values as unknown[])).rows as T[]
}

export const STORE_BATCH_SIZE = 2000
const PRUNE_BATCH = 2000
const PRUNE_INTERVAL_MS = 60_000

/** Prisma keeps DateTime as UTC in "timestamp without time zone"; raw SQL converts explicitly. */
const UTC_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`

/** NUL and lone surrogates: PostgreSQL refuses both in text and jsonb, and a refused batch would be retried forever. */
const UNSTORABLE_SOURCE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE)
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g')
const UNSTORABLE_IN_JSON = /\\u0000|\\ud[89a-f]/i

function text(value: string): string {
  return UNSTORABLE.test(value) ? value.replace(UNSTORABLE_ALL, '\uFFFD') : value
}

function cleanDeep(value: unknown): unknown {
  if (typeof value === 'string') return text(value)
  if (Array.isArray(value)) return value.map(cleanDeep)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), cleanDeep(v)]))
  return value
}

/**
 * The batch as one JSON array of rows, the statement's only large parameter (jsonb_to_recordset unpacks it): one
 * JSON.stringify, and nothing for the driver to escape element by element.
 */
function rowsJson(batch: TraceSpan[]): string {
  const rows = batch.map((s) => ({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    service: s.service,
    kind: s.kind,
    startUs: finite(s.startUs),
    durationUs: finite(s.durationUs),
    statusCode: s.status.code,
    statusMessage: s.status.message ?? null,
    attributes: s.attributes,
    resource: s.resource,
    scope: s.scope ?? null,
    events: s.events,
    links: s.links,
  }))
  const encoded = JSON.stringify(rows)
  // JSON.stringify writes NUL and lone surrogates as \u escapes, so only a \u can mean a row needs cleaning
  return encoded.includes('\\u') && UNSTORABLE_IN_JSON.test(encoded) ? JSON.stringify(cleanDeep(rows)) : encoded
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0
}

export interface StoreResult {
  /** spans handed in (after dropping repeats within the call) */
  received: number
  /** spans that were new; the rest were already stored */
  stored: number
}

/** Stores spans idempotently: a span already stored (same traceId and spanId) is left as it was. */
export async function storeSpans(db: SpanStoreDb, spans: TraceSpan[]): Promise<StoreResult> {
  const unique = new Map<string, TraceSpan>()
  for (const span of spans) unique.set(`${span.traceId}:${span.spanId}`, span)
  const sorted = [...unique.values()].sort((a, b) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0))
  let stored = 0
  for (let i = 0; i < sorted.length; i += STORE_BATCH_SIZE) stored += await insertBatch(db, sorted.slice(i, i + STORE_BATCH_SIZE))
  return { received: sorted.length, stored }
}

async function insertBatch(db: SpanStoreDb, batch: TraceSpan[]): Promise<number> {
  const [{ stored }] = await rawQuery<{ stored: number }>(db, insertBatchSql(batch))
  return stored
}

/** The one statement that stores a batch (exported for EXPLAIN in benchmarks). */
export function insertBatchSql(batch: TraceSpan[]): Prisma.Sql {
  return Prisma.sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${rowsJson(batch)}::jsonb) AS t(
        "traceId" text, "spanId" text, "parentSpanId" text, name text, service text, kind text, "startUs" float8, "durationUs" float8,
        "statusCode" text, "statusMessage" text, attributes jsonb, resource jsonb, scope jsonb, events jsonb, links jsonb)
    ),
    inserted AS (
      INSERT INTO spans ("traceId", "spanId", "parentSpanId", name, service, kind, "startUs", "durationUs", "statusCode", "statusMessage", attributes, resource, scope, events, links)
      SELECT "traceId", "spanId", "parentSpanId", name, service, kind, "startUs", "durationUs", "statusCode", "statusMessage",
             attributes, resource, scope, events, links
      FROM input
      ORDER BY "traceId", "spanId"
      ON CONFLICT DO NOTHING
      RETURNING "traceId", "parentSpanId", name, service, "startUs", "durationUs", "statusCode",
        CASE WHEN jsonb_typeof(attributes -> 'gen_ai.request.model') = 'string' THEN attributes ->> 'gen_ai.request.model' END AS model
    ),
    folded AS (
      INSERT INTO traces ("traceId", "startUs", "endUs", "spanCount", "errorCount", services, models, "rootService", "rootName", "hasRoot", "firstReceivedAt", "receivedAt")
      SELECT "traceId", min("startUs"), max("startUs" + "durationUs"), count(*)::int, (count(*) FILTER (WHERE "statusCode" = 'error'))::int,
             array_agg(DISTINCT service ORDER BY service),
             coalesce(array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL), '{}'::text[]),
             (array_agg(service ORDER BY ("parentSpanId" IS NULL) DESC, "startUs"))[1],
             (array_agg(name ORDER BY ("parentSpanId" IS NULL) DESC, "startUs"))[1],
             bool_or("parentSpanId" IS NULL), ${UTC_NOW}, ${UTC_NOW}
      FROM inserted
      GROUP BY "traceId"
      ORDER BY "traceId"
      ON CONFLICT ("traceId") DO UPDATE SET
        "startUs" = LEAST(traces."startUs", EXCLUDED."startUs"),
        "endUs" = GREATEST(traces."endUs", EXCLUDED."endUs"),
        "spanCount" = traces."spanCount" + EXCLUDED."spanCount",
        "errorCount" = traces."errorCount" + EXCLUDED."errorCount",
        services = ARRAY(SELECT DISTINCT x FROM unnest(traces.services || EXCLUDED.services) AS x ORDER BY 1),
        models = ARRAY(SELECT DISTINCT x FROM unnest(traces.models || EXCLUDED.models) AS x ORDER BY 1),
        "rootService" = CASE WHEN traces."hasRoot" THEN traces."rootService"
                             WHEN EXCLUDED."hasRoot" OR EXCLUDED."startUs" < traces."startUs" THEN EXCLUDED."rootService"
                             ELSE traces."rootService" END,
        "rootName" = CASE WHEN traces."hasRoot" THEN traces."rootName"
                          WHEN EXCLUDED."hasRoot" OR EXCLUDED."startUs" < traces."startUs" THEN EXCLUDED."rootName"
                          ELSE traces."rootName" END,
        "hasRoot" = traces."hasRoot" OR EXCLUDED."hasRoot",
        "receivedAt" = EXCLUDED."receivedAt"
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM inserted)::int AS stored, (SELECT count(*) FROM folded)::int AS traces`
}

/** Deletes a stored trace (its spans and its summary row); the number of spans deleted, 0 when there was none. */
export async function deleteTrace(db: SpanStoreDb, traceId: string): Promise<number> {
  const id = traceId.trim().toLowerCase()
  const [{ spans }] = await rawQuery<{ spans: number }>(db, Prisma.sql`
    WITH gone AS (DELETE FROM spans WHERE "traceId" = ${id} RETURNING 1),
         summary AS (DELETE FROM traces WHERE "traceId" = ${id} RETURNING 1)
    SELECT (SELECT count(*) FROM gone)::int AS spans, (SELECT count(*) FROM summary)::int AS traces`)
  return spans
}

export interface PruneOptions {
  retentionHours: number
  maxSpans: number
  /** for tests: the present */
  now?: Date
}

export interface PruneResult {
  traces: number
  spans: number
}

async function deleteTraces(db: SpanStoreDb, traceIds: string[]): Promise<PruneResult> {
  if (traceIds.length === 0) return { traces: 0, spans: 0 }
  const [row] = await rawQuery<PruneResult>(db, Prisma.sql`
    WITH gone AS (DELETE FROM spans WHERE "traceId" = ANY(${traceIds}::text[]) RETURNING 1),
         summary AS (DELETE FROM traces WHERE "traceId" = ANY(${traceIds}::text[]) RETURNING 1)
    SELECT (SELECT count(*) FROM summary)::int AS traces, (SELECT count(*) FROM gone)::int AS spans`)
  return row
}

/**
 * Enforces retention and the size cap: traces whose last span arrived before now − retentionHours go, then, while
 * more than maxSpans spans are stored, the traces that arrived first. Whole traces only, in bounded batches.
 */
export async function pruneSpans(db: SpanStoreDb, options: PruneOptions): Promise<PruneResult> {
  const total: PruneResult = { traces: 0, spans: 0 }
  const add = (r: PruneResult) => {
    total.traces += r.traces
    total.spans += r.spans
  }
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionHours * 3_600_000)
  for (;;) {
    const expired = await rawQuery<{ traceId: string }>(
      db,
      Prisma.sql`SELECT "traceId" FROM traces WHERE "receivedAt" < ${cutoff.toISOString()}::timestamptz AT TIME ZONE 'UTC' ORDER BY "receivedAt" LIMIT ${PRUNE_BATCH}::int`,
    )
    const result = await deleteTraces(db, expired.map((r) => r.traceId))
    add(result)
    if (expired.length < PRUNE_BATCH) break
  }
  const [{ stored }] = await rawQuery<{ stored: number }>(db, Prisma.sql`SELECT coalesce(sum("spanCount"), 0)::float8 AS stored FROM traces`)
  let excess = stored - options.maxSpans
  while (excess > 0) {
    const oldest = await rawQuery<{ traceId: string; spanCount: number }>(
      db,
      Prisma.sql`SELECT "traceId", "spanCount" FROM traces ORDER BY "receivedAt", "traceId" LIMIT ${PRUNE_BATCH}::int`,
    )
    if (oldest.length === 0) break
    const doomed: string[] = []
    for (const row of oldest) {
      if (excess <= 0) break
      doomed.push(row.traceId)
      excess -= row.spanCount
    }
    add(await deleteTraces(db, doomed))
  }
  return total
}

const pruneState = globalThis as unknown as { firebreakOtlpPrune?: { lastAt: number; running: boolean } }

/**
 * Runs pruneSpans in the background when the last run (in this process) was more than a minute ago. Never throws and
 * never delays the caller; a failure is logged and tried again a minute later.
 */
export function maybePruneSpans(db: SpanStoreDb, options: Omit<PruneOptions, 'now'>): void {
  const state = (pruneState.firebreakOtlpPrune ??= { lastAt: 0, running: false })
  const now = Date.now()
  if (state.running || now - state.lastAt < PRUNE_INTERVAL_MS) return
  state.running = true
  state.lastAt = now
  pruneSpans(db, options)
    .then((result) => {
      if (result.spans > 0) logger.info('OTLP store pruned', { ...result, retentionHours: options.retentionHours, maxSpans: options.maxSpans })
    })
    .catch((error) => logger.warn('OTLP store prune failed; it is retried in a minute', { error }))
    .finally(() => {
      state.running = false
    })
}
