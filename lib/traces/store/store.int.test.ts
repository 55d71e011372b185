import { afterAll, describe, expect, it } from 'vitest'
import { createPrismaClient } from '@/lib/db/client'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { useTestDatabase } from '@/tests/db'
import { randomSpanId, randomTraceId } from '@/tests/otlp/payloads'
import { TraceSourceError, type TraceSpan } from '../model'
import { deleteTrace, pruneSpans, STORE_BATCH_SIZE, storeSpans } from './index'
import { StoredTraceSource } from './source'

const NOW_US = Date.now() * 1000

function span(traceId: string, overrides: Partial<TraceSpan> = {}): TraceSpan {
  return {
    traceId,
    spanId: randomSpanId(),
    parentSpanId: null,
    name: 'span',
    service: 'svc',
    kind: 'internal',
    startUs: NOW_US,
    durationUs: 1000,
    status: { code: 'unset' },
    attributes: {},
    resource: { 'service.name': overrides.service ?? 'svc' },
    events: [],
    links: [],
    ...overrides,
  }
}

describe('the OTLP span store', () => {
  const { db } = useTestDatabase()
  const source = new StoredTraceSource(db)
  afterAll(() => db.$disconnect())
  const summaryOf = (traceId: string) => db.storedTrace.findUniqueOrThrow({ where: { traceId } })

  it('folds spans arriving in several exports into one summary, the root taking over when it arrives', async () => {
    const traceId = randomTraceId()
    const root = span(traceId, { name: 'POST /chat', service: 'gateway', startUs: NOW_US, durationUs: 5_000 })
    const generator = span(traceId, { parentSpanId: root.spanId, name: 'chat llama', service: 'vllm', startUs: NOW_US + 1_000, durationUs: 6_000, attributes: { 'gen_ai.request.model': 'llama-3-70b' }, status: { code: 'error', message: 'oom' } })
    const judge = span(traceId, { parentSpanId: root.spanId, name: 'judge', service: 'judge', startUs: NOW_US + 2_000, attributes: { 'gen_ai.request.model': 'gpt-4o-mini' } })
    const numericModel = span(traceId, { parentSpanId: root.spanId, name: 'odd', service: 'vllm', attributes: { 'gen_ai.request.model': 7 } })

    expect(await storeSpans(db, [generator])).toEqual({ received: 1, stored: 1 })
    expect(await summaryOf(traceId)).toMatchObject({ rootName: 'chat llama', rootService: 'vllm', hasRoot: false, spanCount: 1, errorCount: 1 })
    expect((await source.getTrace(traceId))?.partial).toBeDefined()

    await storeSpans(db, [judge, numericModel])
    await storeSpans(db, [root])
    expect(await summaryOf(traceId)).toMatchObject({
      rootName: 'POST /chat',
      rootService: 'gateway',
      hasRoot: true,
      spanCount: 4,
      errorCount: 1,
      startUs: NOW_US,
      endUs: NOW_US + 7_000,
      services: ['gateway', 'judge', 'vllm'],
      models: ['gpt-4o-mini', 'llama-3-70b'],
    })
    const trace = await source.getTrace(traceId)
    expect(trace?.partial).toBeUndefined()
    // by start time
    expect(trace?.spans.map((s) => s.name).slice(2)).toEqual(['chat llama', 'judge'])
    expect(trace?.spans.find((s) => s.spanId === root.spanId)).toEqual(root)
    expect(trace?.spans.find((s) => s.spanId === generator.spanId)).toEqual(generator)
  })

  it('stores a span once, however often and however concurrently it is sent', async () => {
    const traces = Array.from({ length: 20 }, () => randomTraceId())
    const spans = traces.flatMap((traceId) => Array.from({ length: 10 }, (_, i) => span(traceId, { name: `s${i}`, startUs: NOW_US + i })))
    expect(await storeSpans(db, [...spans.slice(0, 50), ...spans.slice(0, 50)])).toEqual({ received: 50, stored: 50 })
    // overlapping, differently ordered batches at once: no deadlock, no double count
    const shuffled = () => [...spans].sort(() => Math.random() - 0.5).slice(0, 150)
    const results = await Promise.all(Array.from({ length: 8 }, () => storeSpans(db, shuffled())))
    const last = await storeSpans(db, spans)
    // every span was new exactly once, whichever call got there first
    expect(50 + results.reduce((n, r) => n + r.stored, 0) + last.stored).toBe(200)
    expect(await db.storedSpan.count({ where: { traceId: { in: traces } } })).toBe(200)
    const summaries = await db.storedTrace.findMany({ where: { traceId: { in: traces } } })
    expect(summaries.map((s) => s.spanCount)).toEqual(Array(20).fill(10))
    expect(await storeSpans(db, spans)).toEqual({ received: 200, stored: 0 })
  })

  it(`stores large exports in batches of ${STORE_BATCH_SIZE}`, async () => {
    const traceId = randomTraceId()
    const spans = Array.from({ length: STORE_BATCH_SIZE * 2 + 17 }, (_, i) => span(traceId, { name: `s${i}`, parentSpanId: i === 0 ? null : randomSpanId() }))
    expect(await storeSpans(db, spans)).toEqual({ received: spans.length, stored: spans.length })
    expect(await summaryOf(traceId)).toMatchObject({ spanCount: spans.length, hasRoot: true, rootName: 's0' })
  })

  it('keeps text PostgreSQL would refuse (NUL, lone surrogates) as replacement characters', async () => {
    const traceId = randomTraceId()
    const odd = span(traceId, { name: 'a\u0000b', attributes: { 'x\u0000': 'c\uD800d', ok: 'é😀' }, status: { code: 'error', message: '\uDC00' } })
    await storeSpans(db, [odd])
    const [stored] = (await source.getTrace(traceId))!.spans
    expect(stored.name).toBe('a\uFFFDb')
    expect(stored.attributes).toEqual({ 'x\uFFFD': 'c\uFFFDd', ok: 'é😀' })
    expect(stored.status.message).toBe('\uFFFD')
  })

  it('deletes a trace, spans and summary, and says how many spans went', async () => {
    const traceId = randomTraceId()
    await storeSpans(db, [span(traceId), span(traceId)])
    expect(await deleteTrace(db, traceId.toUpperCase())).toBe(2)
    expect(await source.getTrace(traceId)).toBeNull()
    expect(await db.storedTrace.findUnique({ where: { traceId } })).toBeNull()
    expect(await deleteTrace(db, traceId)).toBe(0)
  })

  it('prunes traces past retention by arrival, then the oldest arrivals over the size cap, whole traces only', async () => {
    const [expired, kept] = [randomTraceId(), randomTraceId()]
    await storeSpans(db, [span(expired), span(expired), span(kept)])
    await db.$executeRaw`UPDATE traces SET "receivedAt" = (now() AT TIME ZONE 'UTC') - interval '73 hours' WHERE "traceId" = ${expired}`
    const retention = await pruneSpans(db, { retentionHours: 72, maxSpans: 1e9 })
    expect(retention.traces).toBeGreaterThanOrEqual(1)
    expect(await source.getTrace(expired)).toBeNull()
    expect(await source.getTrace(kept)).not.toBeNull()

    // three traces that arrived first of all, 4 spans each; a cap 6 below the total takes the oldest two
    const oldest = [randomTraceId(), randomTraceId(), randomTraceId()]
    for (const [i, traceId] of oldest.entries()) {
      await storeSpans(db, Array.from({ length: 4 }, () => span(traceId)))
      await db.$executeRaw`UPDATE traces SET "receivedAt" = ${`2001-01-0${i + 1}T00:00:00Z`}::timestamptz AT TIME ZONE 'UTC' WHERE "traceId" = ${traceId}`
    }
    const total = await db.storedSpan.count()
    const capped = await pruneSpans(db, { retentionHours: 1e7, maxSpans: total - 6 })
    expect(capped).toEqual({ traces: 2, spans: 8 })
    expect(await source.getTrace(oldest[0])).toBeNull()
    expect(await source.getTrace(oldest[1])).toBeNull()
    expect(await source.getTrace(oldest[2])).not.toBeNull()
    expect(await db.storedSpan.count()).toBe(total - 8)
    expect(await pruneSpans(db, { retentionHours: 1e7, maxSpans: total - 6 })).toEqual({ traces: 0, spans: 0 })
  })

  it('answers getTrace for ids as users paste them, and refuses what is not an id', async () => {
    const traceId = `0000000000000000${randomSpanId()}`
    await storeSpans(db, [span(traceId)])
    expect((await source.getTrace(traceId.slice(16).toUpperCase()))?.traceId).toBe(traceId)
    expect(await source.getTrace(randomTraceId())).toBeNull()
    await expect(source.getTrace('not-a-trace')).rejects.toMatchObject({ kind: 'query' })
    await expect(source.search({ start: new Date(), end: new Date(Date.now() - 1000), limit: 10 })).rejects.toMatchObject({ kind: 'query' })
  })

  it('reports an unreachable database as a backend error', async () => {
    const down = createPrismaClient(`postgresql://postgres:x@127.0.0.1:${await findFreePort()}/nothing`)
    const unreachable = new StoredTraceSource(down)
    try {
      const error = await unreachable.search({ start: new Date(Date.now() - 60_000), end: new Date(), limit: 10 }).catch((e) => e)
      expect(error).toBeInstanceOf(TraceSourceError)
      expect(error.kind).toBe('backend')
      await expect(unreachable.getTrace(randomTraceId())).rejects.toMatchObject({ kind: 'backend' })
    } finally {
      await down.$disconnect()
    }
  })
})
