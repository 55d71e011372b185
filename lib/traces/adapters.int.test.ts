/**
 * The Jaeger and Tempo adapters over real HTTP. Neither backend can run on these machines, so a node:http fake serves
 * their recorded answers (../shared/fixtures) on a free 127.0.0.1 port and records what it was asked.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFixture } from '@/tests/fixtures'
import { JaegerTraceSource } from './jaeger'
import { TraceSourceError } from './model'
import { findTrace, searchTraces } from './sources'
import { TempoTraceSource } from './tempo'

const GENAI_ID = '4a1b2c3d4e5f60718293a4b5c6d7e8f9'
const TEMPO_ID = '077bd30f2f8154b5948dc04724f89ff5'

interface Seen {
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
}

let server: http.Server
let base: string
let closedPort: number
const seen: Seen[] = []
const pending = new Set<http.ServerResponse>()

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type })
  res.end(body)
}

function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake')
  seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers })
  const [, backend, ...rest] = url.pathname.split('/')
  const path = `/${rest.join('/')}`
  if (backend === 'slow') {
    // answers after the client gave up
    pending.add(res)
    setTimeout(() => {
      pending.delete(res)
      if (!res.writableEnded) send(res, 200, '{}')
    }, 2000).unref()
    return
  }
  if (backend === 'garbage') return send(res, 200, '<html><body>502 Bad Gateway from the proxy</body></html>', 'text/html')
  if (backend === 'truncated') return send(res, 200, '{"data": [{"traceID": "4a1b')
  if (backend === 'locked') return send(res, 401, 'unauthorized', 'text/plain')
  if (backend === 'broken') return send(res, 500, JSON.stringify({ data: null, errors: [{ code: 500, msg: 'cassandra: no hosts available' }] }))
  if (backend === 'picky') return send(res, 400, JSON.stringify({ data: null, errors: [{ code: 400, msg: 'malformed tags' }] }))
  if (backend === 'jaeger') {
    if (path === `/api/traces/${GENAI_ID}`) {
      const trace = JSON.parse(readFixture('jaeger/query-api-v1/genaiTestTrace.json'))
      return send(res, 200, JSON.stringify({ data: [trace], total: 0, limit: 0, offset: 0, errors: null }))
    }
    if (path.startsWith('/api/traces/')) return send(res, 404, JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }))
    if (path === '/api/services') return send(res, 200, JSON.stringify({ data: ['jaeger-all-in-one', 'example-trace'], total: 2, limit: 0, offset: 0, errors: null }))
    if (path === '/api/traces') return send(res, 200, readFixture('jaeger/query-api-v1/oltp2jaeger-multi-out.json'))
    if (path === '/api/v3/traces/00000000000000000000000000000001') return send(res, 200, readFixture('jaeger/query-api-v3/FindTraces.json'))
  }
  if (backend === 'tempo') {
    if (path === `/api/traces/${TEMPO_ID}`) return send(res, 200, readFixture('tempo/oats/trace_by_id.json'))
    if (path.startsWith('/api/traces/')) return send(res, 404, 'trace not found', 'text/plain')
    if (path === '/api/search') return send(res, 200, readFixture('tempo/kiali/response.json'))
  }
  send(res, 404, 'no such fixture', 'text/plain')
}

beforeAll(async () => {
  server = http.createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // a port nothing listens on: bound, then released
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
})

afterAll(async () => {
  for (const res of pending) res.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function lastRequest(prefix: string): Seen {
  const found = [...seen].reverse().find((s) => s.path.startsWith(prefix))
  if (!found) throw new Error(`no request to ${prefix}`)
  return found
}

async function backendError(promise: Promise<unknown>): Promise<TraceSourceError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(TraceSourceError)
    return error as TraceSourceError
  }
  throw new Error('expected a TraceSourceError')
}

describe('Jaeger over HTTP', () => {
  it('fetches a trace with the bearer token and Accept: application/json', async () => {
    const jaeger = new JaegerTraceSource({ url: `${base}/jaeger/`, bearerToken: 'jaeger-secret', timeoutMs: 2000 })
    const trace = await jaeger.getTrace(GENAI_ID.toUpperCase())
    expect(trace?.spans).toHaveLength(57)
    expect(trace?.traceId).toBe(GENAI_ID)
    const request = lastRequest(`/jaeger/api/traces/${GENAI_ID}`)
    expect(request.headers.authorization).toBe('Bearer jaeger-secret')
    expect(request.headers.accept).toBe('application/json')
  })

  it('sends basic auth when configured, and answers null for a trace it does not have', async () => {
    const jaeger = new JaegerTraceSource({ url: `${base}/jaeger`, basicAuth: { username: 'firebreak', password: 'p4ss' } })
    expect(await jaeger.getTrace('006c3cf93508f205')).toBeNull()
    const request = lastRequest('/jaeger/api/traces/0000000000000000006c3cf93508f205')
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('firebreak:p4ss').toString('base64')}`)
  })

  it('searches each service (Jaeger needs one) with the model as a tag, times in microseconds', async () => {
    const jaeger = new JaegerTraceSource({ url: `${base}/jaeger`, modelAttributes: ['gen_ai.request.model'] })
    const start = new Date('2024-03-22T20:00:00Z')
    const end = new Date('2024-03-22T21:00:00Z')
    const results = await jaeger.search({ start, end, limit: 10, status: 'error', attributes: { pipeline: 'rag-chat' } })
    // the fixture's trace has no error span, so the trace-level check removes it
    expect(results).toEqual([])
    const request = lastRequest('/jaeger/api/traces')
    expect(request.query.get('service')).toBe('example-trace')
    expect(seen.some((s) => s.path === '/jaeger/api/traces' && s.query.get('service') === 'jaeger-all-in-one')).toBe(false)
    expect(request.query.get('start')).toBe(String(start.getTime() * 1000))
    expect(request.query.get('end')).toBe(String(end.getTime() * 1000))
    expect(request.query.get('limit')).toBe('10')
    expect(JSON.parse(request.query.get('tags')!)).toEqual({ pipeline: 'rag-chat', error: 'true' })

    const found = await jaeger.search({ start, end, limit: 10, service: 'example-trace', minDurationMs: 100 })
    expect(found).toEqual([expect.objectContaining({ traceId: 'c620759e5d60fafb8ee0922b30e06bc6', rootName: 'main', spanCount: 4, services: ['example-trace'] })])
    expect(lastRequest('/jaeger/api/traces').query.get('minDuration')).toBe('100ms')
  })

  it('reads api/v3 answers when configured for it', async () => {
    const jaeger = new JaegerTraceSource({ url: `${base}/jaeger`, apiVersion: 'v3' })
    const trace = await jaeger.getTrace('00000000000000000000000000000001')
    expect(trace?.spans.map((s) => s.name)).toEqual(['foobar'])
  })
})

describe('Tempo over HTTP', () => {
  it('fetches a trace with basic auth and the tenant header', async () => {
    const tempo = new TempoTraceSource({ url: `${base}/tempo`, basicAuth: { username: 'team-a', password: 'tok' }, tenant: 'team-a' })
    const trace = await tempo.getTrace(TEMPO_ID)
    expect(trace?.spans.map((s) => s.name)).toEqual(['GET /stock', 'StockController.getStock', 'kafkaTopic publish'])
    const request = lastRequest(`/tempo/api/traces/${TEMPO_ID}`)
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('team-a:tok').toString('base64')}`)
    expect(request.headers['x-scope-orgid']).toBe('team-a')
    expect(request.headers.accept).toBe('application/json')
    expect(await tempo.getTrace('5b8efff798038103d269b633813fc60c')).toBeNull()
  })

  it('searches with TraceQL and unix seconds', async () => {
    const tempo = new TempoTraceSource({ url: `${base}/tempo`, bearerToken: 'tempo-secret' })
    const results = await tempo.search({ start: new Date(1701777600_000), end: new Date(1701781200_000), limit: 5, service: 'productpage', model: 'llama "3"' })
    expect(results.map((r) => r.traceId)).toEqual(['100cb753c787ed5657c8d88dafc176ed'])
    const request = lastRequest('/tempo/api/search')
    expect(request.headers.authorization).toBe('Bearer tempo-secret')
    expect(request.query.get('q')).toBe('{ resource.service.name = "productpage" } && { span.gen_ai.request.model = "llama \\"3\\"" }')
    expect(request.query.get('start')).toBe('1701777600')
    expect(request.query.get('end')).toBe('1701781200')
    expect(request.query.get('limit')).toBe('5')
  })
})

describe('backends that fail', () => {
  it('a timeout is a backend error that says how long it waited', async () => {
    const slow = new JaegerTraceSource({ url: `${base}/slow`, timeoutMs: 200 })
    const started = Date.now()
    const error = await backendError(slow.getTrace(GENAI_ID))
    expect(Date.now() - started).toBeLessThan(1500)
    expect(error.kind).toBe('backend')
    expect(error.message).toBe('Jaeger did not answer within 0.2 s')
    const tempoError = await backendError(new TempoTraceSource({ url: `${base}/slow`, timeoutMs: 200 }).search({ start: new Date(0), end: new Date(1000), limit: 1 }))
    expect(tempoError).toMatchObject({ kind: 'backend', message: 'Tempo did not answer within 0.2 s' })
  })

  it('a body that is not JSON, or cut off, is a clear backend error', async () => {
    const html = await backendError(new JaegerTraceSource({ url: `${base}/garbage` }).getTrace(GENAI_ID))
    expect(html.kind).toBe('backend')
    expect(html.message).toBe('Jaeger answered HTTP 200 with something that is not JSON (“<html><body>502 Bad Gateway from the proxy</body></html>”)')
    const cut = await backendError(new TempoTraceSource({ url: `${base}/truncated` }).getTrace(TEMPO_ID))
    expect(cut.kind).toBe('backend')
    expect(cut.message).toMatch(/^Tempo answered HTTP 200 with something that is not JSON/)
  })

  it('refused credentials, a connection refused and a failing store are backend errors; a rejected query is the query’s', async () => {
    expect(await backendError(new TempoTraceSource({ url: `${base}/locked` }).getTrace(TEMPO_ID))).toMatchObject({ kind: 'backend', message: expect.stringMatching(/^Tempo refused Firebreak's credentials \(HTTP 401\): check TEMPO_BEARER_TOKEN/) })
    expect(await backendError(new JaegerTraceSource({ url: `http://127.0.0.1:${closedPort}` }).getTrace(GENAI_ID))).toMatchObject({ kind: 'backend', message: `Jaeger is unreachable at 127.0.0.1:${closedPort} (ECONNREFUSED)` })
    expect(await backendError(new JaegerTraceSource({ url: `${base}/broken` }).getTrace(GENAI_ID))).toMatchObject({ kind: 'backend', message: 'Jaeger answered HTTP 500: cassandra: no hosts available' })
    expect(await backendError(new JaegerTraceSource({ url: `${base}/picky` }).search({ start: new Date(0), end: new Date(1000), limit: 1, service: 'x' }))).toMatchObject({ kind: 'query', message: 'Jaeger answered HTTP 400: malformed tags' })
  })
})

describe('several sources', () => {
  it('findTrace falls through a down source and a slow one to the one that has the trace', async () => {
    const sources = [
      new JaegerTraceSource({ url: `http://127.0.0.1:${closedPort}`, name: 'Jaeger' }),
      new JaegerTraceSource({ url: `${base}/slow`, timeoutMs: 200, name: 'Jaeger (slow)' }),
      new TempoTraceSource({ url: `${base}/tempo` }),
    ]
    const found = await findTrace(TEMPO_ID, sources)
    expect(found.source).toBe('Tempo')
    expect(found.trace?.spans).toHaveLength(3)
    expect(found.searched).toEqual(['Jaeger', 'Jaeger (slow)', 'Tempo'])
    expect(found.sourceErrors.map((e) => [e.source, e.kind, e.message])).toEqual([
      ['Jaeger', 'backend', `Jaeger is unreachable at 127.0.0.1:${closedPort} (ECONNREFUSED)`],
      ['Jaeger (slow)', 'backend', 'Jaeger (slow) did not answer within 0.2 s'],
    ])
  })

  it('searchTraces merges what answered and lists what did not', async () => {
    const result = await searchTraces({ start: new Date('2023-12-05T00:00:00Z'), end: new Date('2024-03-23T00:00:00Z'), limit: 10 }, [
      new JaegerTraceSource({ url: `${base}/jaeger` }),
      new TempoTraceSource({ url: `${base}/tempo` }),
      new TempoTraceSource({ url: `${base}/garbage`, name: 'Tempo (EU)' }),
    ])
    expect(result.traces.map((t) => t.traceId)).toEqual(['c620759e5d60fafb8ee0922b30e06bc6', '100cb753c787ed5657c8d88dafc176ed'])
    expect(result.sourceErrors).toEqual([{ source: 'Tempo (EU)', kind: 'backend', message: expect.stringMatching(/^Tempo \(EU\) answered HTTP 200 with something that is not JSON/) }])
  })
})
