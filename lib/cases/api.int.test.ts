/**
 * The case API routes (app/api/cases) in process against the test database: the session is mocked, everything else is
 * real (the OTLP store as the only trace source, no Jaeger or Tempo configured).
 */
import { randomBytes } from 'node:crypto'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import { ragChatTrace } from '@/lib/traces/detectors/test-trace'
import { deleteTrace, storeSpans } from '@/lib/traces/store'
import { useTestDatabase } from '@/tests/db'

const state = vi.hoisted(() => ({ context: { actor: null } as RequestContext }))
vi.mock('@/lib/auth/session', () => ({ getRequestContext: async () => state.context }))

const cases = await import('@/app/api/cases/route')
const oneCase = await import('@/app/api/cases/[number]/route')
const exportRoute = await import('@/app/api/cases/[number]/export/route')
const importRoute = await import('@/app/api/cases/import/route')
const similarRoute = await import('@/app/api/cases/similar/route')
const spanRoute = await import('@/app/api/cases/[number]/spans/[spanId]/route')
const linkRoute = await import('@/app/api/cases/[number]/incidents/route')
const unlinkRoute = await import('@/app/api/cases/[number]/incidents/[incident]/route')

const as = (role: 'viewer' | 'responder') => {
  state.context = { actor: { id: `api-${role}`, email: `api-${role}@example.com`, name: `API ${role}`, role } }
}

type Handler<P> = (request: NextRequest, route: { params: Promise<P> }) => Promise<Response>

async function call<P>(handler: Handler<P>, path: string, params: P, init: { method?: string; body?: string } = {}) {
  const response = await handler(new NextRequest(new URL(path, 'http://firebreak.test'), { method: init.method ?? 'GET', body: init.body, headers: init.body ? { 'content-type': 'application/json' } : undefined }), { params: Promise.resolve(params) })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null }
}

describe('the case API', () => {
  const { db } = useTestDatabase()
  const tag = `api-${randomBytes(4).toString('hex')}`
  const traceId = randomBytes(16).toString('hex')
  let incidentNumber: number
  let number: number

  beforeAll(async () => {
    for (const key of ['JAEGER_URL', 'TEMPO_URL']) delete process.env[key]
    const trace = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'] } }).build()
    await storeSpans(db, trace.spans.map((s) => ({ ...s, traceId })))
    incidentNumber = (await db.incident.create({ data: { title: 'API case test', severity: 'SEV3', source: 'declared', startedAt: new Date() }, select: { number: true } })).number
  })
  afterAll(async () => {
    await deleteTrace(db, traceId)
    await db.$disconnect()
  })

  it('pins through POST /api/cases: 401 without a session, 403 for a viewer, 400 with field paths, 201 for a responder', async () => {
    const body = JSON.stringify({ traceId, title: 'Cut off by max_tokens', category: 'token-budget-exhaustion', tags: tag, incidentNumbers: String(incidentNumber) })
    state.context = { actor: null }
    expect((await call(cases.POST, '/api/cases', {}, { method: 'POST', body })).status).toBe(401)
    as('viewer')
    expect((await call(cases.POST, '/api/cases', {}, { method: 'POST', body })).status).toBe(403)
    as('responder')
    const invalid = await call(cases.POST, '/api/cases', {}, { method: 'POST', body: JSON.stringify({ traceId: 'x', title: 'ok title', category: 'nope' }) })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['category', 'traceId'])
    const missing = await call(cases.POST, '/api/cases', {}, { method: 'POST', body: body.replace(traceId, randomBytes(16).toString('hex')) })
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } })
    const created = await call(cases.POST, '/api/cases', {}, { method: 'POST', body })
    expect(created.status).toBe(201)
    expect(created.body.case).toMatchObject({ traceId, pipeline: 'rag-chat', tags: [tag], incidents: [{ number: incidentNumber }] })
    number = created.body.case.number
  })

  it('lists, opens and opens a span of the case', async () => {
    as('viewer')
    const list = await call(cases.GET, `/api/cases?tag=${tag}&category=token-budget-exhaustion`, {})
    expect(list.body).toMatchObject({ total: 1, page: 1, cases: [{ number }] })
    expect((await call(cases.GET, '/api/cases?from=yesterday', {})).status).toBe(400)

    const opened = await call(oneCase.GET, `/api/cases/CASE-${number}`, { number: `CASE-${number}` })
    expect(opened.status).toBe(200)
    expect(opened.body.trace.spans).toHaveLength(8)
    expect(opened.body.findings.map((f: { detector: string }) => f.detector)).toContain('token-budget')
    expect((await call(oneCase.GET, '/api/cases/abc', { number: 'abc' })).status).toBe(400)
    expect((await call(oneCase.GET, '/api/cases/2000000000', { number: '2000000000' })).status).toBe(404)

    const spanId = opened.body.trace.spans.find((s: { name: string }) => s.name.startsWith('chat llama')).spanId
    const span = await call(spanRoute.GET, `/api/cases/${number}/spans/${spanId}`, { number: String(number), spanId })
    expect(span.body).toMatchObject({ span: { spanId }, modelCall: { stage: 'generator', model: 'llama-3.1-70b-instruct', finishReasons: ['length'] } })
  })

  it('answers a stale edit with 409 and the current case', async () => {
    as('responder')
    const path = `/api/cases/${number}`
    const saved = await call(oneCase.PATCH, path, { number: String(number) }, { method: 'PATCH', body: JSON.stringify({ version: 1, notes: 'raise max_tokens' }) })
    expect(saved).toMatchObject({ status: 200, body: { case: { version: 2, notes: 'raise max_tokens' } } })
    const stale = await call(oneCase.PATCH, path, { number: String(number) }, { method: 'PATCH', body: JSON.stringify({ version: 1, notes: 'mine' }) })
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { current: { version: 2, notes: 'raise max_tokens' } } } } })
  })

  it('downloads the export as a file that imports as a new case; a broken file gets the path of each mistake', async () => {
    as('viewer')
    const exported = await call(exportRoute.GET, `/api/cases/${number}/export`, { number: String(number) })
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="CASE-${number}.firebreak-case.json"`)
    expect(exported.body).toMatchObject({ format: 'firebreak.case/v1', case: { number, notes: 'raise max_tokens' } })

    as('responder')
    const imported = await call(importRoute.POST, '/api/cases/import', {}, { method: 'POST', body: exported.text })
    expect(imported).toMatchObject({ status: 201, body: { case: { source: 'import', notes: 'raise max_tokens' } } })
    const broken = await call(importRoute.POST, '/api/cases/import', {}, { method: 'POST', body: exported.text.replace('"format": "firebreak.case/v1"', '"format": "firebreak.case/v9"') })
    expect(broken).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'format' }] } } })
    expect((await call(importRoute.POST, '/api/cases/import', {}, { method: 'POST', body: '{not json' })).status).toBe(400)
  })

  it('finds similar cases for a trace and for a case', async () => {
    as('viewer')
    const byTrace = await call(similarRoute.GET, `/api/cases/similar?traceId=${traceId}`, {})
    expect(byTrace.status).toBe(200)
    expect(byTrace.body.inCategory.find((m: { number: number }) => m.number === number)).toMatchObject({ isSameTrace: true, score: 1 })
    const byCase = await call(similarRoute.GET, `/api/cases/similar?case=${number}`, {})
    expect(byCase.body.overall.map((m: { number: number }) => m.number)).not.toContain(number)
    expect((await call(similarRoute.GET, '/api/cases/similar', {})).status).toBe(400)
    expect((await call(similarRoute.GET, `/api/cases/similar?traceId=${randomBytes(16).toString('hex')}`, {})).status).toBe(404)
  })

  it('links and unlinks incidents, then deletes the case', async () => {
    as('responder')
    const params = { number: String(number) }
    const unlinked = await call(unlinkRoute.DELETE, `/api/cases/${number}/incidents/${incidentNumber}`, { ...params, incident: String(incidentNumber) }, { method: 'DELETE' })
    expect(unlinked.body.case.incidents).toEqual([])
    const linked = await call(linkRoute.POST, `/api/cases/${number}/incidents`, params, { method: 'POST', body: JSON.stringify({ incidentNumber: `INC-${incidentNumber}` }) })
    expect(linked.body.case.incidents).toMatchObject([{ number: incidentNumber }])
    expect((await call(oneCase.DELETE, `/api/cases/${number}`, params, { method: 'DELETE' })).body).toEqual({ deleted: true })
    expect((await call(oneCase.GET, `/api/cases/${number}`, params)).status).toBe(404)
  })
})
