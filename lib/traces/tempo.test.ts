import { describe, expect, it } from 'vitest'
import { readJsonFixture } from '@/tests/fixtures'
import { summaryOf } from './jaeger'
import { OtlpFormatError } from './otlp-json'
import { buildTraceQL, summariesFromTempoSearch, traceFromTempo, traceqlAttribute, traceqlString } from './tempo'

const OATS_TRACE = '077bd30f2f8154b5948dc04724f89ff5'

describe("Tempo's trace by id", () => {
  it('reads the oats answer: batches, base64 ids, three services’ spans in one chain, resource attributes', () => {
    const trace = traceFromTempo(readJsonFixture('tempo/oats/trace_by_id.json'), OATS_TRACE)!
    expect(trace.source).toBe('Tempo')
    expect(trace.partial).toBeUndefined()
    expect(trace.spans.map((s) => [s.spanId, s.parentSpanId, s.name, s.kind])).toEqual([
      ['3fb4dd6f07c798b7', null, 'GET /stock', 'server'],
      ['daa211b4824b3a16', '3fb4dd6f07c798b7', 'StockController.getStock', 'internal'],
      ['ca6bbfebe9a763b0', 'daa211b4824b3a16', 'kafkaTopic publish', 'producer'],
    ])
    const [root] = trace.spans
    expect(root).toMatchObject({ service: 'app', scope: { name: 'io.opentelemetry.tomcat-10.0', version: '1.29.0-alpha' } })
    // microseconds since 1970 as a double keep about a quarter microsecond: within one of the nanosecond values
    expect(Math.abs(root.startUs - 1693573635765422.206)).toBeLessThan(1)
    expect(Math.abs(root.durationUs - 1303.15)).toBeLessThan(1)
    expect(root.resource).toMatchObject({ 'deployment.environment': 'production', 'host.arch': 'amd64', 'service.name': 'app' })
    expect(root.attributes['user_agent.original']).toBe('Go-http-client/1.1')
    expect(summaryOf(trace)).toMatchObject({ rootService: 'app', rootName: 'GET /stock', spanCount: 3, errorCount: 0 })
  })

  it('marks a trace partial when Tempo says so (v2 answer) or parents are missing (the size cap in v1)', () => {
    const batches = readJsonFixture<{ batches: { scopeSpans: { spans: unknown[] }[] }[] }>('tempo/oats/trace_by_id.json')
    const v2 = traceFromTempo({ trace: batches, status: 'PARTIAL', message: 'trace exceeds max size (max bytes: 5000000)' }, OATS_TRACE)!
    expect(v2.partial?.reason).toBe('Tempo returned part of the trace: trace exceeds max size (max bytes: 5000000)')
    expect(traceFromTempo({ trace: batches, status: 'COMPLETE' }, OATS_TRACE)!.partial).toBeUndefined()
    const capped = structuredClone(batches)
    capped.batches.splice(1, 1) // StockController.getStock never arrived
    const trace = traceFromTempo(capped, OATS_TRACE)!
    expect(trace.spans).toHaveLength(2)
    expect(trace.partial?.reason).toBe('1 span refers to a parent span that is not in the trace')
  })

  it('reads resourceSpans too, answers null for an empty trace and refuses what is no trace', () => {
    const otlp = readJsonFixture('otlp/opentelemetry-proto/trace.json')
    const trace = traceFromTempo(otlp, '5b8efff798038103d269b633813fc60c')!
    // the example's span names a parent it does not include
    expect(trace.spans).toHaveLength(1)
    expect(trace.partial?.reason).toMatch(/not in the trace/)
    expect(traceFromTempo({}, OATS_TRACE)).toBeNull()
    expect(traceFromTempo({ batches: [] }, OATS_TRACE)).toBeNull()
    expect(() => traceFromTempo({ traces: [] }, OATS_TRACE)).toThrow(OtlpFormatError)
    expect(() => traceFromTempo({ batches: [{ scopeSpans: [{ spans: [{ traceId: 'x' }] }] }] }, OATS_TRACE)).toThrow(OtlpFormatError)
  })
})

describe("Tempo's search", () => {
  it('reads the kiali search answer into summaries', () => {
    const [summary] = summariesFromTempoSearch(readJsonFixture('tempo/kiali/response.json'))
    expect(summary).toEqual({
      traceId: '100cb753c787ed5657c8d88dafc176ed',
      rootService: 'istio-ingressgateway.istio-system',
      rootName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
      startUs: 1701778055570888,
      durationUs: 9000,
      // what the span set shows: 6 spans matched; services named in it
      spanCount: 6,
      errorCount: 0,
      services: ['istio-ingressgateway.istio-system', 'reviews.bookinfo'],
      models: [],
    })
  })

  it('uses serviceStats when Tempo sends them, pads trimmed ids, and reads models and error status from span sets', () => {
    const [summary] = summariesFromTempoSearch({
      traces: [
        {
          traceID: '2f3e0cee77ae5dc9c17ade3689eb2e5',
          rootServiceName: '<root span not yet received>',
          startTimeUnixNano: '1700000000123456789',
          serviceStats: { gateway: { spanCount: 10 }, vllm: { spanCount: 30, errorCount: 2 } },
          spanSets: [
            {
              spans: [
                { spanID: 'aa', attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'llama-3.1-70b' } }, { key: 'status', value: { stringValue: 'error' } }] },
                { spanID: 'bb', attributes: [{ key: 'llm.model_name', value: { stringValue: 'bge-m3' } }] },
              ],
              matched: 2,
            },
          ],
        },
      ],
    }, ['gen_ai.request.model', 'llm.model_name'])
    expect(summary).toMatchObject({
      traceId: '02f3e0cee77ae5dc9c17ade3689eb2e5',
      rootService: '<root span not yet received>',
      startUs: 1700000000123456.789,
      durationUs: 0,
      spanCount: 40,
      errorCount: 2,
      services: ['gateway', 'vllm'],
      models: ['bge-m3', 'llama-3.1-70b'],
    })
    expect(summariesFromTempoSearch({ traces: [] })).toEqual([])
    expect(summariesFromTempoSearch({ metrics: {} })).toEqual([])
    expect(() => summariesFromTempoSearch({ traces: [{ traceID: 'not hex' }] })).toThrow(OtlpFormatError)
  })
})

describe('TraceQL from a search', () => {
  const base = { start: new Date(0), end: new Date(1), limit: 20 }

  it('matches everything without conditions', () => {
    expect(buildTraceQL(base)).toBe('{ }')
    expect(buildTraceQL({ ...base, minDurationMs: 0.25 })).toBe('{ traceDuration >= 250us }')
  })

  it('puts each condition in its own spanset so different spans may match', () => {
    expect(buildTraceQL({ ...base, service: 'rag-gateway', model: 'llama-3.1-70b', status: 'error', minDurationMs: 1500, maxDurationMs: 60000, attributes: { pipeline: 'rag-chat', 'k8s.namespace.name': 'inference' } }, ['gen_ai.request.model', 'llm.model_name'])).toBe(
      '{ resource.service.name = "rag-gateway" } && { span.gen_ai.request.model = "llama-3.1-70b" || span.llm.model_name = "llama-3.1-70b" } && { status = error } && { .k8s.namespace.name = "inference" } && { .pipeline = "rag-chat" } && { traceDuration >= 1500ms && traceDuration <= 60000ms }',
    )
  })

  it('escapes values and quotes odd keys, so nothing can close the spanset or add a condition', () => {
    expect(traceqlString('say "hi"\\ \n\t\u0001')).toBe('"say \\"hi\\"\\\\ \\n\\t\\x01"')
    expect(traceqlString('\uD800x')).toBe('"\uFFFDx"')
    expect(traceqlAttribute('', 'tenant id')).toBe('."tenant id"')
    expect(traceqlAttribute('span', 'x" } || { true')).toBe('span."x\\" } || { true"')
    const hostile = buildTraceQL({ ...base, service: '" } || { .a = "b', attributes: { 'a"}': '"}|{' } })
    expect(hostile).toBe('{ resource.service.name = "\\" } || { .a = \\"b" } && { ."a\\"}" = "\\"}|{" }')
  })
})
