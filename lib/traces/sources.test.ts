import { describe, expect, it, vi } from 'vitest'
import { ConfigError, parseTraceBackendEnv } from '@/lib/env'
import { readJsonFixture } from '@/tests/fixtures'
import { DEFAULT_TRACE_CONFIG } from './config'
import { traceFromJaeger } from './jaeger'
import { TraceSourceError, type Trace, type TraceSearch, type TraceSource, type TraceSummary } from './model'
import { createTraceSources, findTrace, loadOpenedTrace, OpenedTraceCache, searchFailureError, searchTraces, traceLookupError, type OpenResult } from './sources'

const ID = '4a1b2c3d4e5f60718293a4b5c6d7e8f9'

function genaiTrace(source: string): Trace {
  return { ...traceFromJaeger(readJsonFixture('jaeger/query-api-v1/genaiTestTrace.json')), source }
}

function fakeSource(name: string, behaviour: { trace?: Trace | null; error?: unknown; summaries?: TraceSummary[] }): TraceSource & { calls: number } {
  return {
    name,
    calls: 0,
    async getTrace() {
      this.calls++
      if (behaviour.error) throw behaviour.error
      return behaviour.trace ?? null
    },
    async search() {
      this.calls++
      if (behaviour.error) throw behaviour.error
      return behaviour.summaries ?? []
    },
  }
}

function summary(traceId: string, startUs: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return { traceId, rootService: 'svc', rootName: 'root', startUs, durationUs: 10, spanCount: 1, errorCount: 0, services: ['svc'], models: [], ...extra }
}

const query: TraceSearch = { start: new Date(0), end: new Date(3_600_000), limit: 3 }

describe('finding a trace across sources', () => {
  it('falls through a source that is down to one that has the trace, and reports the failure', async () => {
    const down = fakeSource('Jaeger', { error: new TraceSourceError('Jaeger did not answer within 10 s', 'backend') })
    const empty = fakeSource('OTLP receiver', { trace: null })
    const tempo = fakeSource('Tempo', { trace: genaiTrace('Tempo') })
    const found = await findTrace(ID, [empty, down, tempo])
    expect(found.source).toBe('Tempo')
    expect(found.trace?.spans).toHaveLength(57)
    expect(found.searched).toEqual(['OTLP receiver', 'Jaeger', 'Tempo'])
    expect(found.sourceErrors).toEqual([{ source: 'Jaeger', message: 'Jaeger did not answer within 10 s', kind: 'backend' }])
  })

  it('stops at the first complete copy', async () => {
    const first = fakeSource('OTLP receiver', { trace: genaiTrace('OTLP receiver') })
    const second = fakeSource('Jaeger', { trace: genaiTrace('Jaeger') })
    expect((await findTrace(ID, [first, second])).source).toBe('OTLP receiver')
    expect(second.calls).toBe(0)
  })

  it('prefers a later complete copy to an earlier partial one, and keeps the partial one when none is complete', async () => {
    const partial = { ...genaiTrace('OTLP receiver'), partial: { reason: '3 spans name parents that Firebreak never received' } }
    const complete = genaiTrace('Jaeger')
    expect((await findTrace(ID, [fakeSource('OTLP receiver', { trace: partial }), fakeSource('Jaeger', { trace: complete })])).source).toBe('Jaeger')
    const onlyPartial = await findTrace(ID, [fakeSource('OTLP receiver', { trace: partial }), fakeSource('Jaeger', { trace: null })])
    expect(onlyPartial).toMatchObject({ source: 'OTLP receiver', trace: { partial: { reason: expect.stringContaining('never received') } } })
  })

  it('masks unexpected errors (no internals leave) and answers null when no source has it', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const found = await findTrace(ID, [fakeSource('OTLP receiver', { error: new Error('relation "spans" does not exist at /srv/app.js:12') }), fakeSource('Tempo', { trace: null })])
    spy.mockRestore()
    expect(found).toMatchObject({ trace: null, source: null, searched: ['OTLP receiver', 'Tempo'] })
    expect(found.sourceErrors).toEqual([{ source: 'OTLP receiver', message: 'OTLP receiver failed unexpectedly (logged on the server)', kind: 'backend' }])
  })
})

describe('what the API says when a trace cannot be shown', () => {
  it('404 names the sources searched and the ones that could not be asked', () => {
    const none = traceLookupError(ID, { searched: ['OTLP receiver', 'Jaeger'], sourceErrors: [] })
    expect(none.status).toBe(404)
    expect(none.userMessage).toBe(`Trace ${ID} is not in OTLP receiver, Jaeger. It may have expired from the backend's retention, or not been sent.`)
    const someDown = traceLookupError(ID, { searched: ['OTLP receiver', 'Jaeger'], sourceErrors: [{ source: 'Jaeger', message: 'Jaeger is unreachable at jaeger:16686 (ECONNREFUSED)', kind: 'backend' }] })
    expect(someDown.status).toBe(404)
    expect(someDown.userMessage).toContain('is not in OTLP receiver (and Jaeger could not be asked: Jaeger is unreachable at jaeger:16686 (ECONNREFUSED))')
    expect(someDown.options.details).toEqual({ searched: ['OTLP receiver', 'Jaeger'], sourceErrors: [{ source: 'Jaeger', message: 'Jaeger is unreachable at jaeger:16686 (ECONNREFUSED)' }] })
  })

  it('503 with Retry-After and each backend when every source failed', () => {
    const error = traceLookupError(ID, {
      searched: ['OTLP receiver', 'Tempo'],
      sourceErrors: [
        { source: 'OTLP receiver', message: 'OTLP receiver: the database is unavailable right now', kind: 'backend' },
        { source: 'Tempo', message: 'Tempo did not answer within 10 s', kind: 'backend' },
      ],
    })
    expect(error.status).toBe(503)
    expect(error.options.retryAfterSeconds).toBe(10)
    expect(error.userMessage).toContain('Tempo did not answer within 10 s')
    expect(error.userMessage).toContain('OTLP receiver: the database is unavailable')
  })
})

describe('searching every source', () => {
  it('merges by trace id (the fuller copy, with what either saw), newest first, to the limit, with per-source errors', async () => {
    const stored = fakeSource('OTLP receiver', { summaries: [summary('a'.repeat(32), 100, { spanCount: 3, models: ['llama'] }), summary('b'.repeat(32), 300)] })
    const jaeger = fakeSource('Jaeger', { summaries: [summary('a'.repeat(32), 100, { spanCount: 40, services: ['gateway'], errorCount: 1 }), summary('c'.repeat(32), 200), summary('d'.repeat(32), 50)] })
    const tempo = fakeSource('Tempo', { error: new TraceSourceError('Tempo answered HTTP 400: parse error at line 1', 'query') })
    const result = await searchTraces(query, [stored, jaeger, tempo])
    expect(result.traces.map((t) => t.traceId[0])).toEqual(['b', 'c', 'a'])
    expect(result.traces[2]).toMatchObject({ spanCount: 40, errorCount: 1, services: ['gateway', 'svc'], models: ['llama'] })
    expect(result.sourceErrors).toEqual([{ source: 'Tempo', message: 'Tempo answered HTTP 400: parse error at line 1', kind: 'query' }])
    expect(searchFailureError(result)).toBeNull()
  })

  it('is a 400 when every source refused the query, a 503 when any was down', async () => {
    const refused = await searchTraces(query, [fakeSource('Jaeger', { error: new TraceSourceError('bad tags', 'query') })])
    expect(searchFailureError(refused)?.status).toBe(400)
    const down = await searchTraces(query, [fakeSource('Jaeger', { error: new TraceSourceError('bad tags', 'query') }), fakeSource('Tempo', { error: new TraceSourceError('Tempo is unreachable', 'backend') })])
    const error = searchFailureError(down)!
    expect(error.status).toBe(503)
    expect(error.options.retryAfterSeconds).toBe(10)
  })
})

describe('opened traces', () => {
  it('are redacted before anything else sees them, analysed, and indexed', async () => {
    const trace = genaiTrace('Jaeger')
    trace.spans[0] = { ...trace.spans[0], attributes: { ...trace.spans[0].attributes, 'enduser.id': 'u-123', note: 'mail ops@example.com' } }
    const result = await loadOpenedTrace(ID, [fakeSource('Jaeger', { trace })], DEFAULT_TRACE_CONFIG)
    expect(result.found).toBe(true)
    if (!result.found) return
    const root = result.opened.index.span('0000000000000001')!
    expect(root.attributes['enduser.id']).toBe('[redacted]')
    expect(root.attributes.note).toBe('mail [redacted]')
    expect(result.opened.trace.spans[0].attributes['enduser.id']).toBe('[redacted]')
    expect(Array.isArray(result.opened.findings)).toBe(true)
    expect(result.opened.source).toBe('Jaeger')
  })

  it('are cached for a short time, shared by concurrent requests, and misses and failures are not kept', async () => {
    let now = 0
    const cache = new OpenedTraceCache({ ttlMs: 60_000, now: () => now })
    const opened = (spans: number): OpenResult => ({ found: true, opened: { trace: { traceId: ID, spans: Array(spans).fill(null), source: 'x' }, source: 'x', findings: [], index: null!, sourceErrors: [] } })
    const load = vi.fn(async () => opened(5))
    await Promise.all([cache.open(ID, load), cache.open(ID, load), cache.open(ID, load)])
    expect(load).toHaveBeenCalledTimes(1)
    now = 59_999
    await cache.open(ID, load)
    expect(load).toHaveBeenCalledTimes(1)
    now = 60_000
    await cache.open(ID, load)
    expect(load).toHaveBeenCalledTimes(2)

    const miss = vi.fn(async (): Promise<OpenResult> => ({ found: false, searched: ['x'], sourceErrors: [] }))
    await cache.open('b'.repeat(32), miss)
    await cache.open('b'.repeat(32), miss)
    expect(miss).toHaveBeenCalledTimes(2)
    const failing = vi.fn(async (): Promise<OpenResult> => {
      throw new Error('boom')
    })
    await expect(cache.open('c'.repeat(32), failing)).rejects.toThrow('boom')
    await expect(cache.open('c'.repeat(32), failing)).rejects.toThrow('boom')
    expect(failing).toHaveBeenCalledTimes(2)
  })

  it('are bounded by entries and by total spans, least recently used first; one huge trace is still held', async () => {
    const cache = new OpenedTraceCache({ maxEntries: 3, maxSpans: 100 })
    const opened = (spans: number) => async (): Promise<OpenResult> => ({ found: true, opened: { trace: { traceId: ID, spans: Array(spans).fill(null), source: 'x' }, source: 'x', findings: [], index: null!, sourceErrors: [] } })
    for (const id of ['1', '2', '3', '4']) await cache.open(id, opened(10))
    expect(cache.size).toBe(3)
    await cache.open('2', opened(10)) // used again: now the newest
    await cache.open('5', opened(80)) // 10 + 10 + 80 = 100 spans: fits after "3" goes
    expect(cache.size).toBe(3)
    const reload = vi.fn(opened(10))
    await cache.open('2', reload)
    expect(reload).not.toHaveBeenCalled()
    await cache.open('huge', opened(100_000))
    expect(cache.size).toBe(1)
  })
})

describe('sources from the environment', () => {
  it('always has the OTLP receiver, then Jaeger and Tempo when their URLs are set', () => {
    const env = parseTraceBackendEnv({ JAEGER_URL: 'http://jaeger:16686/', TEMPO_URL: 'http://tempo:3200', TEMPO_TENANT: 'team-a', TEMPO_USERNAME: 'u', TEMPO_PASSWORD: 'p', TRACES_TIMEOUT_MS: '2500' })
    expect(env).toEqual({
      jaeger: { url: 'http://jaeger:16686', apiVersion: 'v1' },
      tempo: { url: 'http://tempo:3200', tenant: 'team-a', basicAuth: { username: 'u', password: 'p' } },
      timeoutMs: 2500,
    })
    const stored = fakeSource('OTLP receiver', {})
    expect(createTraceSources(env, { stored }).map((s) => s.name)).toEqual(['OTLP receiver', 'Jaeger', 'Tempo'])
    expect(createTraceSources(parseTraceBackendEnv({}), { stored }).map((s) => s.name)).toEqual(['OTLP receiver'])
    expect(parseTraceBackendEnv({ TRACES_TIMEOUT_MS: '' }).timeoutMs).toBe(10_000)
    expect(parseTraceBackendEnv({ JAEGER_URL: 'http://j', JAEGER_BEARER_TOKEN: 't', JAEGER_API_VERSION: 'v3' }).jaeger).toEqual({ url: 'http://j', apiVersion: 'v3', bearerToken: 't' })
  })

  it('names the variable that is wrong', () => {
    const problems = (raw: Record<string, string>) => {
      try {
        parseTraceBackendEnv(raw)
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        return (error as ConfigError).problems
      }
      return []
    }
    expect(problems({ JAEGER_URL: 'jaeger:16686' })).toEqual([expect.stringMatching(/^JAEGER_URL is not an http\(s\) URL/)])
    expect(problems({ TRACES_TIMEOUT_MS: '10s' })).toEqual([expect.stringMatching(/^TRACES_TIMEOUT_MS /)])
    expect(problems({ JAEGER_API_VERSION: 'v2' })).toEqual([expect.stringMatching(/^JAEGER_API_VERSION /)])
    expect(problems({ TEMPO_URL: 'http://t', TEMPO_BEARER_TOKEN: 'x', TEMPO_USERNAME: 'u' })).toEqual(['TEMPO_BEARER_TOKEN and TEMPO_USERNAME are both set: use a bearer token or basic auth, not both'])
    expect(problems({ JAEGER_PASSWORD: 'p' })).toEqual(['JAEGER_PASSWORD is set without JAEGER_USERNAME: set both for basic auth'])
  })
})
