/**
 * The trace API routes (app/api/traces) end to end in process: a signed-in viewer (session mocked), the OTLP receiver's
 * store replaced by a fake holding the GenAI fixture trace, no Jaeger or Tempo configured.
 */
import { NextRequest } from 'next/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'

const GENAI_ID = '4a1b2c3d4e5f60718293a4b5c6d7e8f9'

const state = vi.hoisted(() => ({
  context: { actor: { id: 'u1', email: 'viewer@firebreak.demo', name: 'Viewer', role: 'viewer' } } as RequestContext,
  store: 'ok' as 'ok' | 'down',
  getTraceCalls: 0,
}))

vi.mock('@/lib/auth/session', () => ({ getRequestContext: async () => state.context }))

vi.mock('@/lib/traces/store/source', async () => {
  const { TraceSourceError } = await import('@/lib/traces/model')
  const { traceFromJaeger } = await import('@/lib/traces/jaeger')
  const { readJsonFixture: read } = await import('@/tests/fixtures')
  class StoredTraceSource {
    readonly name = 'OTLP receiver'
    async getTrace(traceId: string) {
      state.getTraceCalls++
      if (state.store === 'down') throw new TraceSourceError("Firebreak's trace store could not be read", 'backend')
      if (traceId !== '4a1b2c3d4e5f60718293a4b5c6d7e8f9') return null
      const trace = traceFromJaeger(read('jaeger/query-api-v1/genaiTestTrace.json'), 'OTLP receiver')
      trace.spans[0].attributes['enduser.id'] = 'alice@example.com'
      return trace
    }
    async search() {
      if (state.store === 'down') throw new TraceSourceError("Firebreak's trace store could not be read", 'backend')
      return [
        { traceId: GENAI_ID, rootService: 'api-edge', rootName: 'POST /api/graphql', startUs: 1770000000001000, durationUs: 44_000_000, spanCount: 57, errorCount: 1, services: ['api-edge'], models: ['model-a', 'model-b'] },
      ]
    }
  }
  return { StoredTraceSource }
})

const { GET: getTrace } = await import('@/app/api/traces/[traceId]/route')
const { GET: getSpan } = await import('@/app/api/traces/[traceId]/spans/[spanId]/route')
const { GET: search } = await import('@/app/api/traces/route')
const { openedTraces } = await import('./sources')

function request(path: string) {
  return new NextRequest(new URL(path, 'http://firebreak.test'))
}

async function call<P>(handler: (r: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>, path: string, params: P) {
  const response = await handler(request(path), { params: Promise.resolve(params) })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  for (const key of ['JAEGER_URL', 'TEMPO_URL']) delete process.env[key]
  state.store = 'ok'
  state.getTraceCalls = 0
  state.context = { actor: { id: 'u1', email: 'viewer@firebreak.demo', name: 'Viewer', role: 'viewer' } }
  openedTraces.clear()
})

afterEach(() => {
  openedTraces.clear()
  vi.restoreAllMocks()
})

describe('GET /api/traces/{traceId}', () => {
  it('answers the compact trace, redacted, with findings and no attributes', async () => {
    const { status, body } = await call(getTrace, `/api/traces/${GENAI_ID}`, { traceId: GENAI_ID })
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(['durationUs', 'findings', 'partial', 'source', 'sourceErrors', 'spanCount', 'spans', 'startUs', 'traceId'])
    expect(body).toMatchObject({ source: 'OTLP receiver', traceId: GENAI_ID, partial: null, spanCount: 57, startUs: 1770000000001000, durationUs: 44_000_000, sourceErrors: [] })
    expect(body.spans).toHaveLength(57)
    expect(body.spans[0]).toEqual({ spanId: '0000000000000001', parentSpanId: null, name: 'POST /api/graphql', service: 'api-edge', kind: 'server', startUs: 1770000000001000, durationUs: 44_000_000, status: 'unset' })
    expect(Array.isArray(body.findings)).toBe(true)
    expect(JSON.stringify(body)).not.toContain('alice@example.com')
  })

  it('opens spans from the cached trace: redacted span, model call, children', async () => {
    await call(getTrace, `/api/traces/${GENAI_ID}`, { traceId: GENAI_ID })
    const root = await call(getSpan, `/api/traces/${GENAI_ID}/spans/0000000000000001`, { traceId: GENAI_ID, spanId: '0000000000000001' })
    expect(root.status).toBe(200)
    expect(root.body).toMatchObject({ modelCall: null, children: 1 })
    expect(root.body.span.attributes['enduser.id']).toBe('[redacted]')
    const chat = await call(getSpan, `/api/traces/${GENAI_ID}/spans/0000000000000005`, { traceId: GENAI_ID, spanId: '0000000000000005' })
    expect(chat.body.modelCall).toMatchObject({ model: 'model-a', inputTokens: 1840, outputTokens: 260 })
    expect(chat.body.span).toMatchObject({ spanId: '0000000000000005', service: 'coding-agent' })
    expect(state.getTraceCalls).toBe(1)
    const missing = await call(getSpan, `/api/traces/${GENAI_ID}/spans/00000000000000ff`, { traceId: GENAI_ID, spanId: '00000000000000ff' })
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toContain('Span 00000000000000ff is not in trace')
    expect((await call(getSpan, `/api/traces/${GENAI_ID}/spans/zz`, { traceId: GENAI_ID, spanId: 'zz' })).status).toBe(400)
  })

  it('400 for an id that is not hex, 404 naming the sources searched, 503 with Retry-After when every source failed', async () => {
    const bad = await call(getTrace, '/api/traces/not-a-trace', { traceId: 'not-a-trace' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('bad_request')
    const unknown = 'b'.repeat(32)
    const missing = await call(getTrace, `/api/traces/${unknown}`, { traceId: unknown })
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toContain(`Trace ${unknown} is not in OTLP receiver`)
    expect(missing.body.error.details).toEqual({ searched: ['OTLP receiver'], sourceErrors: [] })
    state.store = 'down'
    const down = await call(getTrace, `/api/traces/${GENAI_ID}`, { traceId: GENAI_ID })
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('10')
    expect(down.body.error).toMatchObject({ code: 'unavailable', details: { sourceErrors: [{ source: 'OTLP receiver', message: "Firebreak's trace store could not be read" }] } })
    expect(JSON.stringify(down.body)).not.toMatch(/at .*\.ts:\d+/)
  })

  it('needs a session', async () => {
    state.context = { actor: null }
    expect((await call(getTrace, `/api/traces/${GENAI_ID}`, { traceId: GENAI_ID })).status).toBe(401)
  })
})

describe('GET /api/traces', () => {
  it('searches with defaults and answers summaries and per-source errors', async () => {
    const { status, body } = await call(search, '/api/traces?model=model-a&attr=pipeline:rag', {})
    expect(status).toBe(200)
    expect(body).toEqual({ traces: [expect.objectContaining({ traceId: GENAI_ID, models: ['model-a', 'model-b'] })], sourceErrors: [] })
  })

  it('400 with issues for a bad query, 503 when no source could search', async () => {
    const bad = await call(search, '/api/traces?limit=500', {})
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'limit' }] })
    state.store = 'down'
    const down = await call(search, '/api/traces', {})
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('10')
  })
})
