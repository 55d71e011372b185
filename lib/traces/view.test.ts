import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { AppError } from '@/lib/errors'
import { readJsonFixture } from '@/tests/fixtures'
import { DEFAULT_TRACE_CONFIG } from './config'
import { traceFromJaeger } from './jaeger'
import type { Trace, TraceSpan } from './model'
import { traceFromTempo } from './tempo'
import { orderSpans, parseSpanIdParam, parseTraceIdParam, parseTraceSearchParams, SpanIndex, toCompactSpans, toSpanDetail, toTraceView, traceBounds } from './view'

const config = DEFAULT_TRACE_CONFIG

function span(spanId: string, parentSpanId: string | null, startUs: number, extra: Partial<TraceSpan> = {}): TraceSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: spanId.padStart(16, '0'),
    parentSpanId: parentSpanId === null ? null : parentSpanId.padStart(16, '0'),
    name: `op ${spanId}`,
    service: 'svc',
    kind: 'internal',
    startUs,
    durationUs: 10,
    status: { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
    ...extra,
  }
}

describe('the waterfall rows', () => {
  it('orders the GenAI trace depth-first by start time, with model and stage, and no attributes', () => {
    const trace = traceFromJaeger(readJsonFixture('jaeger/query-api-v1/genaiTestTrace.json'))
    const shuffled: Trace = { ...trace, spans: [...trace.spans].reverse() }
    const rows = toCompactSpans(shuffled, config)
    expect(rows).toHaveLength(57)
    // the generator numbered spans in depth-first order
    expect(rows.map((r) => r.spanId)).toEqual(trace.spans.map((s) => s.spanId).sort())
    expect(rows[0]).toEqual({ spanId: '0000000000000001', parentSpanId: null, name: 'POST /api/graphql', service: 'api-edge', kind: 'server', startUs: 1770000000001000, durationUs: 44_000_000, status: 'unset' })
    expect(rows.find((r) => r.spanId === '0000000000000005')).toMatchObject({ name: 'chat model-a', model: 'model-a' })
    expect(rows.find((r) => r.spanId === '0000000000000036')).toMatchObject({ name: 'chat model-b', model: 'model-b', service: 'summarizer-agent' })
    expect(rows.find((r) => r.spanId === '0000000000000012')).toMatchObject({ name: 'retrieval vector-search', stage: 'retriever' })
    expect(rows.find((r) => r.spanId === '0000000000000011')!.status).toBe('error')
    // agent and tool spans wrap model calls; they are not labelled as one
    expect(rows.find((r) => r.spanId === '0000000000000004')).not.toHaveProperty('model')
    expect(rows.every((r) => !('attributes' in r) && !('resource' in r) && !('events' in r))).toBe(true)
  })

  it('places spans whose parent is missing at the top level by start, and survives a parent cycle', () => {
    const trace: Trace = {
      traceId: 'a'.repeat(32),
      source: 'test',
      spans: [span('2', '1', 20), span('3', 'f', 5), span('1', null, 10), span('4', '1', 15), span('5', '6', 1), span('6', '5', 2), span('7', '7', 30)],
    }
    expect(orderSpans(trace).map((s) => Number.parseInt(s.spanId, 16))).toEqual([3, 1, 4, 2, 7, 5, 6])
  })

  it('orders the Tempo trace and bounds it', () => {
    const trace = traceFromTempo(readJsonFixture('tempo/oats/trace_by_id.json'), '077bd30f2f8154b5948dc04724f89ff5')!
    const view = toTraceView({ trace, config, findings: [], sourceErrors: [{ source: 'Jaeger', message: 'Jaeger is unreachable' }] })
    expect(view).toMatchObject({ source: 'Tempo', traceId: '077bd30f2f8154b5948dc04724f89ff5', partial: null, spanCount: 3, findings: [], sourceErrors: [{ source: 'Jaeger', message: 'Jaeger is unreachable' }] })
    expect(view.spans.map((s) => s.name)).toEqual(['GET /stock', 'StockController.getStock', 'kafkaTopic publish'])
    expect(view.startUs).toBe(trace.spans[0].startUs)
    expect(view.durationUs).toBeGreaterThan(2700)
    expect(traceBounds([])).toEqual({ startUs: 0, durationUs: 0 })
  })

  it('keeps a 100,000-span trace small and fast, even as one deep chain', () => {
    const spans = Array.from({ length: 100_000 }, (_, i) =>
      span((i + 1).toString(16), i === 0 ? null : Math.floor((i + 1) / 2).toString(16), 1_700_000_000_000_000 + i, {
        name: i % 2 ? 'chat' : 'retrieve',
        attributes: { 'gen_ai.operation.name': i % 2 ? 'chat' : 'retrieval', 'gen_ai.request.model': i % 2 ? 'llama-3.1-70b' : undefined!, 'gen_ai.input.messages': 'x'.repeat(200) },
      }),
    )
    const started = performance.now()
    const view = toTraceView({ trace: { traceId: 'a'.repeat(32), spans, source: 'Jaeger' }, config, findings: [], sourceErrors: [] })
    const body = JSON.stringify(view)
    const elapsed = performance.now() - started
    expect(view.spans).toHaveLength(100_000)
    expect(body.length).toBeLessThan(25 * 1024 * 1024)
    expect(elapsed).toBeLessThan(5000)
    const chain = Array.from({ length: 100_000 }, (_, i) => span((i + 1).toString(16), i === 0 ? null : i.toString(16), i))
    expect(orderSpans({ traceId: 'a'.repeat(32), spans: chain.reverse(), source: 'x' })[99_999].spanId).toBe((100_000).toString(16).padStart(16, '0'))
  })
})

describe('span details', () => {
  it('counts direct children and reads the model call', () => {
    const trace = traceFromJaeger(readJsonFixture('jaeger/query-api-v1/genaiTestTrace.json'))
    const index = new SpanIndex(trace)
    expect(index.children('0000000000000004')).toBe(14)
    expect(index.children('0000000000000006')).toBe(0)
    const detail = toSpanDetail(index.span('0000000000000005')!, index, config)
    expect(detail.children).toBe(1)
    expect(detail.span.attributes['gen_ai.usage.input_tokens']).toBe(1840)
    expect(detail.modelCall).toMatchObject({ model: 'model-a', provider: 'example-ai', inputTokens: 1840, outputTokens: 260 })
    expect(toSpanDetail(index.span('0000000000000001')!, index, config).modelCall).toBeNull()
  })
})

describe('request parameters', () => {
  it('accepts 32- and 16-digit trace ids in any case, and refuses the rest with a 400', () => {
    expect(parseTraceIdParam('4A1B2C3D4E5F60718293A4B5C6D7E8F9')).toBe('4a1b2c3d4e5f60718293a4b5c6d7e8f9')
    expect(parseTraceIdParam('006c3cf93508f205')).toBe('0000000000000000006c3cf93508f205')
    for (const bad of ['', 'xyz', '0'.repeat(32), 'a'.repeat(31), 'a'.repeat(33), '../../etc/passwd']) {
      expect(() => parseTraceIdParam(bad)).toThrow(AppError)
      try {
        parseTraceIdParam(bad)
      } catch (error) {
        expect((error as AppError).status).toBe(400)
      }
    }
    expect(parseSpanIdParam('00000000000000AA')).toBe('00000000000000aa')
    expect(() => parseSpanIdParam('0000000000000000')).toThrow(AppError)
  })

  it('defaults a search to the last hour and 20 traces', () => {
    const now = new Date('2025-06-01T12:00:00Z')
    expect(parseTraceSearchParams(new URLSearchParams(), now)).toEqual({ start: new Date('2025-06-01T11:00:00Z'), end: now, limit: 20 })
  })

  it('reads every filter, repeated attr pairs and times in ISO, seconds or milliseconds', () => {
    const params = new URLSearchParams('start=1748772000&end=1748779200000&service=rag-gateway&model=llama-3.1-70b&status=error&minDurationMs=1500&maxDurationMs=60000&limit=100')
    params.append('attr', 'pipeline:rag-chat')
    params.append('attr', 'http.url:https://x.test:8443/a')
    expect(parseTraceSearchParams(params)).toEqual({
      start: new Date('2025-06-01T10:00:00Z'),
      end: new Date('2025-06-01T12:00:00Z'),
      service: 'rag-gateway',
      model: 'llama-3.1-70b',
      status: 'error',
      minDurationMs: 1500,
      maxDurationMs: 60000,
      attributes: { pipeline: 'rag-chat', 'http.url': 'https://x.test:8443/a' },
      limit: 100,
    })
    expect(parseTraceSearchParams(new URLSearchParams('start=2025-06-01T10:00:00Z&end=2025-06-01T10:30:00Z')).start).toEqual(new Date('2025-06-01T10:00:00Z'))
  })

  it('refuses what it cannot search, with the field named', () => {
    const issues = (query: string) => {
      try {
        parseTraceSearchParams(new URLSearchParams(query), new Date('2025-06-01T12:00:00Z'))
      } catch (error) {
        expect(error).toBeInstanceOf(ZodError)
        return (error as ZodError).issues.map((i) => i.path.join('.'))
      }
      return []
    }
    expect(issues('limit=101')).toEqual(['limit'])
    expect(issues('limit=0')).toEqual(['limit'])
    expect(issues('status=slow')).toEqual(['status'])
    expect(issues('start=yesterday')).toEqual(['start'])
    expect(issues('start=2025-06-01T12:00:00Z&end=2025-06-01T11:00:00Z')).toEqual(['end'])
    expect(issues('start=2025-01-01T00:00:00Z&end=2025-06-01T00:00:00Z')).toEqual(['start'])
    expect(issues('minDurationMs=10&maxDurationMs=5')).toEqual(['maxDurationMs'])
    expect(issues('attr=novalue')).toEqual(['attr.0'])
    expect(issues('attr=:x')).toEqual(['attr.0'])
    expect(issues('unknown=1')).toEqual([''])
    expect(issues(`service=${'s'.repeat(201)}`)).toEqual(['service'])
    expect(issues(Array.from({ length: 21 }, (_, i) => `attr=k${i}:v`).join('&'))).toEqual(['attr'])
  })
})
