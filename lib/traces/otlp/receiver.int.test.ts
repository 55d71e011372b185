import { randomUUID } from 'node:crypto'
import http from 'node:http'
import zlib from 'node:zlib'
import { context, trace } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createPrismaClient } from '@/lib/db/client'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { hashToken } from '@/lib/tokens/hash'
import { authenticateIngestToken } from '@/lib/tokens'
import { useTestDatabase } from '@/tests/db'
import { gzipBomb, otlpJsonRequest, randomSpanId, randomTraceId, toProtobuf } from '@/tests/otlp/payloads'
import { otlpExporter, PIPELINE_SERVICES, sendPipelineTrace } from '@/tests/otlp/pipeline'
import { StoredTraceSource } from '../store/source'
import { parseOtlpLimits } from './config'
import { decodeRpcStatus } from './decode'
import { IngestGate } from './gate'
import { serveFetchHandler, type ServedHandler } from './http-server'
import { createOtlpPool } from './pool'
import { handleOtlpTraces, type OtlpReceiverDeps } from './receiver'

const MB = 1_048_576

describe('OTLP receiver: real SDK exporters into PostgreSQL', () => {
  const { db, url: databaseUrl } = useTestDatabase()
  // writes go through a pg pool, as in the app (app/v1/traces/route.ts); reads through Prisma
  const pool = createOtlpPool(databaseUrl, 3)
  const source = new StoredTraceSource(db)
  const token = `fbk_otlp_${randomUUID()}`
  const revoked = `fbk_otlp_${randomUUID()}`
  const alertmanager = `fbk_alertmanager_${randomUUID()}`
  const limits = { ...parseOtlpLimits({}), maxBodyBytes: 8 * MB, maxDecompressedBytes: 32 * MB }
  const deps: OtlpReceiverDeps = {
    db: pool,
    authenticate: (authorization, from) => authenticateIngestToken(authorization, 'otlp', from),
    limits,
    gate: new IngestGate({ maxInflightRequests: 16, maxInflightBytes: 1024 * MB, maxConcurrentWrites: 2, maxQueuedSpans: 100_000 }),
    prune: false,
  }
  let server: ServedHandler

  const counts = async () => ({ spans: await db.storedSpan.count(), traces: await db.storedTrace.count() })
  const post = (body: BodyInit, headers: Record<string, string> = {}, bearer: string | null = token) =>
    fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body,
    })
  /** A small valid export, and proof it was stored: the server still serves after whatever came before. */
  const goodRequestSucceeds = async () => {
    const traceId = randomTraceId()
    const response = await post(toProtobuf(otlpJsonRequest('after-bad-input', [{ traceId, spanId: randomSpanId() }])) as BodyInit)
    expect(response.status).toBe(200)
    expect(await source.getTrace(traceId)).not.toBeNull()
  }

  beforeAll(async () => {
    await db.ingestToken.createMany({
      data: [
        { name: 'otlp test', kind: 'otlp', tokenHash: hashToken(token), prefix: token.slice(0, 16) },
        { name: 'otlp revoked', kind: 'otlp', tokenHash: hashToken(revoked), prefix: revoked.slice(0, 16), revokedAt: new Date() },
        { name: 'alertmanager', kind: 'alertmanager', tokenHash: hashToken(alertmanager), prefix: alertmanager.slice(0, 16) },
      ],
    })
    server = await serveFetchHandler((request) => handleOtlpTraces(request, deps))
  })
  afterAll(async () => {
    await server?.close()
    await pool.end()
    await db.$disconnect()
  })

  async function expectPipeline(traceId: string, spans: Record<string, string>) {
    const stored = await source.getTrace(traceId)
    expect(stored).not.toBeNull()
    const trace = stored!
    expect(trace.source).toBe('OTLP receiver')
    expect(trace.partial).toBeUndefined()
    expect(trace.spans).toHaveLength(8)
    const byName = Object.fromEntries(trace.spans.map((s) => [s.name, s]))
    const root = byName['POST /v1/chat']
    expect(root).toMatchObject({ parentSpanId: null, service: 'rag-gateway', kind: 'server', status: { code: 'ok' }, scope: { name: 'firebreak-pipeline-test', version: '1.0.0' } })
    for (const name of Object.keys(spans)) {
      expect(byName[name].spanId).toBe(spans[name])
      if (name !== 'POST /v1/chat') expect(byName[name].parentSpanId).toBe(root.spanId)
    }
    expect(trace.spans.map((s) => s.attributes['pipeline.stage']).sort()).toEqual(['embedder', 'gateway', 'generator', 'generator', 'judge', 'post-processing', 'retriever', 'router'])
    expect(byName['chat llama-3-70b-instruct']).toMatchObject({
      service: 'vllm-generator',
      kind: 'client',
      status: { code: 'error', message: 'completion cut at max_tokens' },
      attributes: {
        'gen_ai.request.model': 'llama-3-70b-instruct',
        'gen_ai.request.max_tokens': 512,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.usage.input_tokens': 3900,
        'gen_ai.usage.output_tokens': 512,
        'gen_ai.response.finish_reasons': ['length'],
      },
      resource: { 'service.name': 'vllm-generator', pipeline: 'rag-chat', 'deployment.environment.name': 'test' },
    })
    expect(byName['chat mistral-7b-instruct'].attributes).toMatchObject({ 'gen_ai.request.top_p': 1, 'gen_ai.response.finish_reasons': ['stop'] })
    expect(byName['chat gpt-4o-mini'].attributes).toMatchObject({ 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.request.temperature': 0 })
    expect(byName['route'].attributes['routing.signals.complexity']).toBe(0.82)
    expect(byName['retrieve'].events).toEqual([expect.objectContaining({ name: 'retrieved', attributes: { 'document.ids': ['doc-1', 'doc-7', 'doc-9'] } })])
    expect(root.startUs).toBeGreaterThan(Date.now() * 1000 - 60_000_000)
    for (const span of trace.spans) {
      expect(span.startUs).toBeGreaterThanOrEqual(root.startUs)
      expect(span.durationUs).toBeGreaterThanOrEqual(0)
    }
    return trace
  }

  it('stores a multi-model pipeline trace sent by the protobuf exporter, one export per service', async () => {
    const run = await sendPipelineTrace('protobuf', server.url, token)
    await expectPipeline(run.traceId, run.spans)
  })

  it('stores the same pipeline from the JSON exporter, and from the protobuf exporter with gzip', async () => {
    const json = await sendPipelineTrace('json', server.url, token)
    await expectPipeline(json.traceId, json.spans)
    const gzipped = await sendPipelineTrace('protobuf', server.url, token, { gzip: true })
    await expectPipeline(gzipped.traceId, gzipped.spans)
  })

  it('finds stored pipelines by time, service, model, status, duration and attribute, newest first', async () => {
    const pipeline = `search-${randomUUID()}`
    const first = await sendPipelineTrace('protobuf', server.url, token, { pipeline })
    const second = await sendPipelineTrace('json', server.url, token, { pipeline })
    const window = { start: new Date(Date.now() - 60_000), end: new Date(Date.now() + 1_000), limit: 50 }
    const mine = (rows: { traceId: string }[]) => rows.map((r) => r.traceId).filter((id) => id === first.traceId || id === second.traceId)

    const byAttribute = await source.search({ ...window, attributes: { pipeline } })
    expect(byAttribute.map((r) => r.traceId)).toEqual([second.traceId, first.traceId])
    expect(byAttribute[0]).toMatchObject({
      rootService: 'rag-gateway',
      rootName: 'POST /v1/chat',
      spanCount: 8,
      errorCount: 1,
      services: [...PIPELINE_SERVICES].sort(),
      models: ['bge-large-en-v1.5', 'gpt-4o-mini', 'llama-3-70b-instruct', 'mistral-7b-instruct'],
    })
    expect(byAttribute[0].durationUs).toBeGreaterThan(0)
    expect(mine(await source.search({ ...window, model: 'mistral-7b-instruct' }))).toEqual([second.traceId, first.traceId])
    expect(mine(await source.search({ ...window, service: 'judge' }))).toHaveLength(2)
    expect(mine(await source.search({ ...window, status: 'error' }))).toHaveLength(2)
    expect(mine(await source.search({ ...window, status: 'ok' }))).toHaveLength(0)
    expect(mine(await source.search({ ...window, model: 'no-such-model' }))).toHaveLength(0)
    expect(mine(await source.search({ ...window, maxDurationMs: 60_000 }))).toHaveLength(2)
    expect(mine(await source.search({ ...window, minDurationMs: 60_000 }))).toHaveLength(0)
    expect(mine(await source.search({ ...window, attributes: { pipeline, 'gen_ai.request.model': 'gpt-4o-mini' } }))).toHaveLength(2)
    expect(mine(await source.search({ ...window, attributes: { pipeline: 'another' } }))).toHaveLength(0)
    expect(await source.search({ ...window, attributes: { pipeline }, limit: 1 })).toHaveLength(1)
    expect(mine(await source.search({ start: new Date(Date.now() - 7_200_000), end: new Date(Date.now() - 3_600_000), limit: 50 }))).toHaveLength(0)
  })

  it('stores an export sent twice (and five times at once) only once', async () => {
    const memory = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'retry-test' }), spanProcessors: [new SimpleSpanProcessor(memory)] })
    const tracer = provider.getTracer('retry')
    const root = tracer.startSpan('root')
    root.end()
    for (let i = 0; i < 9; i++) tracer.startSpan(`child ${i}`, {}, trace.setSpan(context.active(), root)).end()
    await provider.forceFlush()
    const spans = memory.getFinishedSpans()
    expect(spans).toHaveLength(10)
    const traceId = spans[0].spanContext().traceId
    const exporter = otlpExporter('protobuf', server.url, token)
    // ExportResultCode.SUCCESS is 0 (@opentelemetry/core)
    const SUCCESS = 0
    const exportOnce = () => new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve))

    const before = await counts()
    expect((await exportOnce()).code).toBe(SUCCESS)
    expect((await exportOnce()).code).toBe(SUCCESS)
    const results = await Promise.all(Array.from({ length: 5 }, exportOnce))
    expect(results.every((r) => r.code === SUCCESS)).toBe(true)
    expect(await counts()).toEqual({ spans: before.spans + 10, traces: before.traces + 1 })
    const summary = await db.storedTrace.findUniqueOrThrow({ where: { traceId } })
    expect(summary).toMatchObject({ spanCount: 10, errorCount: 0, rootName: 'root', hasRoot: true, services: ['retry-test'] })
    await exporter.shutdown()
    await provider.shutdown()
  })

  it('marks a trace partial when a span names a parent that never arrived', async () => {
    const traceId = randomTraceId()
    const missing = randomSpanId()
    const response = await post(JSON.stringify(otlpJsonRequest('orphans', [{ traceId, spanId: randomSpanId(), parentSpanId: missing, name: 'orphan' }])), { 'content-type': 'application/json' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({})
    const trace = await source.getTrace(traceId.toUpperCase())
    expect(trace?.partial?.reason).toContain(missing)
    expect(await db.storedTrace.findUniqueOrThrow({ where: { traceId } })).toMatchObject({ hasRoot: false, rootName: 'orphan' })
  })

  describe('refuses bad input with the right status, stores nothing, and keeps serving', () => {
    const valid = () => otlpJsonRequest('bad-input', [{ traceId: randomTraceId(), spanId: randomSpanId() }, { traceId: randomTraceId(), spanId: randomSpanId() }])
    const cases: { name: string; status: number; send: () => Promise<Response> }[] = [
      { name: 'truncated protobuf', status: 400, send: () => post(toProtobuf(valid()).subarray(0, 40) as BodyInit) },
      { name: 'garbage protobuf', status: 400, send: () => post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]) as BodyInit) },
      { name: 'wrong content type', status: 415, send: () => post(JSON.stringify(valid()), { 'content-type': 'text/plain' }) },
      { name: 'no content type', status: 415, send: () => post(new Blob([JSON.stringify(valid())]), { 'content-type': '' }) },
      { name: 'unsupported Content-Encoding', status: 415, send: () => post(toProtobuf(valid()) as BodyInit, { 'content-encoding': 'br' }) },
      { name: 'bad JSON', status: 400, send: () => post('{"resourceSpans": [', { 'content-type': 'application/json' }) },
      {
        name: 'an invalid trace id next to a valid span (JSON)',
        status: 400,
        send: () => {
          const request = valid()
          request.resourceSpans[0].scopeSpans[0].spans[1].traceId = 'not-hex-at-all'
          return post(JSON.stringify(request), { 'content-type': 'application/json' })
        },
      },
      {
        name: 'an 8-byte trace id next to a valid span (protobuf)',
        status: 400,
        send: () => {
          const request = valid()
          request.resourceSpans[0].scopeSpans[0].spans[1].traceId = randomSpanId()
          return post(toProtobuf(request) as BodyInit)
        },
      },
      { name: 'an all-zero span id', status: 400, send: () => post(toProtobuf(otlpJsonRequest('bad', [{ traceId: randomTraceId(), spanId: '0'.repeat(16) }])) as BodyInit) },
      { name: 'not gzip although it says so', status: 400, send: () => post(toProtobuf(valid()) as BodyInit, { 'content-encoding': 'gzip' }) },
      { name: 'gzip cut short', status: 400, send: () => post(zlib.gzipSync(toProtobuf(valid())).subarray(0, 30) as BodyInit, { 'content-encoding': 'gzip' }) },
      { name: 'no token', status: 401, send: () => post(toProtobuf(valid()) as BodyInit, {}, null) },
      { name: 'an unknown token', status: 401, send: () => post(toProtobuf(valid()) as BodyInit, {}, 'fbk_otlp_made-up') },
      { name: 'a revoked token', status: 401, send: () => post(toProtobuf(valid()) as BodyInit, {}, revoked) },
      { name: 'an Alertmanager token', status: 401, send: () => post(toProtobuf(valid()) as BodyInit, {}, alertmanager) },
      { name: 'a body over the wire limit with Content-Length', status: 413, send: () => post(new Uint8Array(9 * MB) as BodyInit) },
      { name: 'a gzip bomb (1 GB of zeros in about 1 MB)', status: 413, send: () => post(gzipBomb(1024 * MB) as BodyInit, { 'content-encoding': 'gzip' }) },
    ]
    for (const c of cases) {
      it(`${c.name}: ${c.status}`, async () => {
        const before = await counts()
        const response = await c.send()
        expect(response.status).toBe(c.status)
        const body = Buffer.from(await response.arrayBuffer())
        if (response.headers.get('content-type') === 'application/x-protobuf') expect(decodeRpcStatus(body).message).not.toBe('')
        else expect(JSON.parse(body.toString()).message).toEqual(expect.any(String))
        expect(await counts()).toEqual(before)
        await goodRequestSucceeds()
      })
    }

    it('a 100 MB streamed body: 413 long before it is all sent', async () => {
      const before = await counts()
      const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const url = new URL(`${server.url}/v1/traces`)
        const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` } })
        let sent = 0
        let answered = false
        const chunk = Buffer.alloc(256 * 1024)
        request.on('response', (response) => {
          answered = true
          resolve({ status: response.statusCode!, sent })
          response.resume()
          request.destroy()
        })
        request.on('error', (error) => (answered ? undefined : reject(error)))
        const pump = () => {
          while (!answered && sent < 100 * MB) {
            sent += chunk.length
            if (!request.write(chunk)) return void request.once('drain', pump)
          }
          if (!answered) request.end()
        }
        pump()
      })
      expect(status).toBe(413)
      expect(sent).toBeLessThan(50 * MB)
      expect(await counts()).toEqual(before)
      await goodRequestSucceeds()
    })

    it('the SDK exporter with a revoked token: nothing stored', async () => {
      const before = await counts()
      const error = await sendPipelineTrace('protobuf', server.url, revoked).catch((e) => e)
      expect(error).toMatchObject({ code: 401, message: 'Unauthorized' })
      // the SDK hands the google.rpc.Status body over as text
      expect(error.data).toContain('That token was revoked')
      expect(await counts()).toEqual(before)
    })
  })

  it('prunes traces past retention after a write, at most once a minute', async () => {
    const expire = async () => {
      const traceId = randomTraceId()
      expect((await post(toProtobuf(otlpJsonRequest('expiring', [{ traceId, spanId: randomSpanId() }])) as BodyInit)).status).toBe(200)
      await db.$executeRaw`UPDATE traces SET "receivedAt" = (now() AT TIME ZONE 'UTC') - interval '73 hours' WHERE "traceId" = ${traceId}`
      return traceId
    }
    const first = await expire()
    const pruning = await serveFetchHandler((request) => handleOtlpTraces(request, { ...deps, prune: true, limits: { ...limits, retentionHours: 72 } }))
    try {
      const write = () => fetch(`${pruning.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` }, body: toProtobuf(otlpJsonRequest('fresh', [{ traceId: randomTraceId(), spanId: randomSpanId() }])) as BodyInit })
      expect((await write()).status).toBe(200)
      await vi.waitFor(async () => expect(await db.storedSpan.count({ where: { traceId: first } })).toBe(0), { timeout: 5_000 })
      expect(await db.storedTrace.findUnique({ where: { traceId: first } })).toBeNull()
      const second = await expire()
      expect((await write()).status).toBe(200)
      await new Promise((r) => setTimeout(r, 500))
      expect(await db.storedSpan.count({ where: { traceId: second } })).toBe(1)
    } finally {
      await pruning.close()
    }
  })

  it('answers 503 with Retry-After when the database is down, and 429 with Retry-After when overloaded', async () => {
    const closedPort = await findFreePort()
    const downDb = createPrismaClient(`postgresql://postgres:x@127.0.0.1:${closedPort}/nothing`)
    const downPool = createOtlpPool(`postgresql://postgres:x@127.0.0.1:${closedPort}/nothing`, 2)
    const down = await serveFetchHandler((request) => handleOtlpTraces(request, { ...deps, db: downPool, gate: new IngestGate({ maxInflightRequests: 4, maxInflightBytes: 1024 * MB, maxConcurrentWrites: 1, maxQueuedSpans: 100 }) }))
    const downPrisma = await serveFetchHandler((request) => handleOtlpTraces(request, { ...deps, db: downDb, gate: new IngestGate({ maxInflightRequests: 4, maxInflightBytes: 1024 * MB, maxConcurrentWrites: 1, maxQueuedSpans: 100 }) }))
    const authDown = await serveFetchHandler((request) =>
      handleOtlpTraces(request, { ...deps, authenticate: () => downDb.ingestToken.findFirst().then(() => undefined), gate: new IngestGate({ maxInflightRequests: 4, maxInflightBytes: 1024 * MB, maxConcurrentWrites: 1, maxQueuedSpans: 100 }) }),
    )
    const gate = new IngestGate({ maxInflightRequests: 1, maxInflightBytes: 1024 * MB, maxConcurrentWrites: 1, maxQueuedSpans: 100 })
    const busy = await serveFetchHandler((request) => handleOtlpTraces(request, { ...deps, gate }))
    try {
      const body = toProtobuf(otlpJsonRequest('db-down', [{ traceId: randomTraceId(), spanId: randomSpanId() }])) as BodyInit
      const headers = { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` }
      for (const url of [down.url, downPrisma.url, authDown.url]) {
        const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers, body })
        expect(response.status).toBe(503)
        expect(response.headers.get('retry-after')).toBe('5')
        expect(decodeRpcStatus(Buffer.from(await response.arrayBuffer())).code).toBe(14)
      }

      // one export in progress (its body still arriving) fills the gate; the next is refused at once
      const url = new URL(`${busy.url}/v1/traces`)
      const slow = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-type': 'application/json' } })
      const slowDone = new Promise<number>((resolve, reject) => {
        slow.on('response', (r) => {
          r.resume()
          resolve(r.statusCode!)
        })
        slow.on('error', reject)
      })
      slow.write('{"resourceSpans": ')
      await new Promise((r) => setTimeout(r, 200))
      expect(gate.state.requests).toBe(1)
      const refused = await fetch(`${busy.url}/v1/traces`, { method: 'POST', headers, body })
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('1')
      slow.end('[]}')
      expect(await slowDone).toBe(200)
      expect((await fetch(`${busy.url}/v1/traces`, { method: 'POST', headers, body })).status).toBe(200)

      // an export holding 600 KB of body fills a 1 MB budget: the next 600 KB body is refused while it arrives
      const bytesGate = new IngestGate({ maxInflightRequests: 8, maxInflightBytes: 1 * MB, maxConcurrentWrites: 1, maxQueuedSpans: 100 })
      const heavy = await serveFetchHandler((request) => handleOtlpTraces(request, { ...deps, gate: bytesGate }))
      try {
        const heavyUrl = new URL(`${heavy.url}/v1/traces`)
        const holding = http.request({ host: heavyUrl.hostname, port: heavyUrl.port, path: heavyUrl.pathname, method: 'POST', headers: { ...headers, 'content-type': 'application/json' } })
        const holdingDone = new Promise<number>((resolve, reject) => {
          holding.on('response', (r) => {
            r.resume()
            resolve(r.statusCode!)
          })
          holding.on('error', reject)
        })
        holding.write(`{"resourceSpans": [], "padding": "${'x'.repeat(600 * 1024)}`)
        await vi.waitFor(() => expect(bytesGate.state.bytes).toBeGreaterThan(500 * 1024))
        const second = await fetch(`${heavy.url}/v1/traces`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans: [], padding: 'y'.repeat(600 * 1024) }) })
        expect(second.status).toBe(429)
        expect(second.headers.get('retry-after')).toBe('1')
        holding.end('"}')
        expect(await holdingDone).toBe(200)
        expect(bytesGate.state).toMatchObject({ requests: 0, bytes: 0 })
      } finally {
        await heavy.close()
      }
    } finally {
      await Promise.all([down.close(), downPrisma.close(), authDown.close(), busy.close()])
      await downDb.$disconnect()
      await downPool.end()
    }
  })
})
