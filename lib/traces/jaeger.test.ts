import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readJsonFixture, SHARED_FIXTURES } from '@/tests/fixtures'
import { assembleTrace, JaegerFormatError, matchesSearch, summaryOf, traceFromJaeger, tracesFromJaegerAnswer, tracesFromJaegerV3 } from './jaeger'
import { summarize, type Trace, type TraceSpan } from './model'
import { spansFromOtlpJson } from './otlp-json'

const V1 = 'jaeger/query-api-v1'

function only(traces: Trace[]): Trace {
  expect(traces).toHaveLength(1)
  return traces[0]
}

function byId(trace: Trace): Map<string, TraceSpan> {
  return new Map(trace.spans.map((s) => [s.spanId, s]))
}

/** Every span's parent is in the trace (or it is a root). */
function parentsResolve(trace: Trace): boolean {
  const ids = byId(trace)
  return trace.spans.every((s) => s.parentSpanId === null || ids.has(s.parentSpanId))
}

describe("Jaeger's v1 JSON model into traces: every fixture", () => {
  it('reads all query-api-v1 fixtures that hold hex ids, and refuses the one that does not', () => {
    const files = [...fs.readdirSync(path.join(SHARED_FIXTURES, V1)).filter((f) => f.endsWith('.json')), 'TraceGraph/testTrace.json']
    const counts: Record<string, number[]> = {}
    for (const file of files) {
      const input = readJsonFixture(`${V1}/${file}`)
      if (file === 'TraceGraph/testTrace.json') {
        // a UI test fixture with ids like "trace-123": no Jaeger answers that, and the model cannot hold it
        expect(() => tracesFromJaegerAnswer(input)).toThrow(JaegerFormatError)
        expect(() => tracesFromJaegerAnswer(input)).toThrow(/traceID “trace-123” is not a 32-digit hex id/)
        continue
      }
      const traces = tracesFromJaegerAnswer(input)
      counts[file] = traces.map((t) => t.spans.length)
      for (const trace of traces) {
        expect(trace.source).toBe('Jaeger')
        expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/)
        for (const s of trace.spans) {
          expect(s.traceId).toBe(trace.traceId)
          expect(s.spanId).toMatch(/^[0-9a-f]{16}$/)
          expect(s.parentSpanId === null || /^[0-9a-f]{16}$/.test(s.parentSpanId)).toBe(true)
          expect(Number.isFinite(s.startUs) && s.durationUs >= 0).toBe(true)
          expect(s.service).not.toBe('')
          expect(s.resource['service.name']).toBe(s.service)
        }
        expect(new Set(trace.spans.map((s) => s.spanId)).size).toBe(trace.spans.length)
      }
    }
    expect(counts).toEqual({
      'genaiTestTrace.json': [57],
      'oltp2jaeger-multi-out.json': [4],
      // the two spans of this answer share one id (a double export): one is kept
      'otlp2jaeger-out.json': [1],
      'spanLongerAsParent.json': [8],
      'spansAmongEachOther.json': [12],
      'spansAmongEachOtherGrouped.json': [15],
      'testTraceNormal.json': [5],
      'traceWithMultipleSpansWithTheSameValueInDifferentTags.json': [3],
      'traceWithThreeShortChildren.json': [4],
      'traceWithThreeShortOverlappingChildren.json': [4],
      'traceWithTwoNonOverlappingChildren.json': [3],
      'ui_01.json': [4],
    })
  })

  it('reads the GenAI agent trace: 57 spans, 10 services, the tree, times, GenAI attributes and the error', () => {
    const trace = traceFromJaeger(readJsonFixture(`${V1}/genaiTestTrace.json`))
    expect(trace.traceId).toBe('4a1b2c3d4e5f60718293a4b5c6d7e8f9')
    expect(trace.partial).toBeUndefined()
    expect(trace.spans).toHaveLength(57)
    expect(parentsResolve(trace)).toBe(true)
    expect(trace.spans.filter((s) => s.parentSpanId === null).map((s) => s.name)).toEqual(['POST /api/graphql'])
    const summary = summaryOf(trace)
    expect(summary).toMatchObject({
      rootService: 'api-edge',
      rootName: 'POST /api/graphql',
      startUs: 1770000000001000,
      durationUs: 44_000_000,
      spanCount: 57,
      errorCount: 1,
      models: ['model-a', 'model-b'],
    })
    expect(summary.services).toEqual(['api-edge', 'auth-service', 'coding-agent', 'graphql-gateway', 'k8s-api', 'mcp-gateway', 'metrics-backend', 'summarizer-agent', 'trace-store', 'vector-store'])
    expect(summary).toEqual(summarize(trace))

    const spans = byId(trace)
    const agent = spans.get('0000000000000004')!
    expect(agent).toMatchObject({ name: 'invoke_agent triage-agent', service: 'coding-agent', parentSpanId: '0000000000000002', startUs: 1770000000004000, durationUs: 42_000_000 })
    expect(agent.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'triage-agent', 'gen_ai.provider.name': 'example-ai' })
    const chat = spans.get('0000000000000005')!
    expect(chat.parentSpanId).toBe('0000000000000004')
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'model-a',
      'gen_ai.response.model': 'model-a',
      'gen_ai.usage.input_tokens': 1840,
      'gen_ai.usage.output_tokens': 260,
      'gen_ai.usage.cache_read.input_tokens': 920,
    })
    expect(JSON.parse(chat.attributes['gen_ai.input.messages'] as string)[0].role).toBe('user')
    expect(JSON.parse(chat.attributes['gen_ai.output.messages'] as string)[0].role).toBe('assistant')
    const summarizerChat = spans.get('0000000000000036')!
    expect(summarizerChat).toMatchObject({ service: 'summarizer-agent', attributes: expect.objectContaining({ 'gen_ai.request.model': 'model-b', 'gen_ai.usage.input_tokens': 920 }) })
    const tool = spans.get('0000000000000007')!
    expect(tool.attributes).toMatchObject({ 'gen_ai.tool.name': 'list_dashboards', 'gen_ai.tool.call.id': 'call_list_dashboards' })
    // "error": true is the status, and no longer an attribute; span.kind is the kind
    const pods = spans.get('0000000000000011')!
    expect(pods).toMatchObject({ name: 'GET /api/v1/pods', service: 'k8s-api', status: { code: 'error' } })
    expect(pods.attributes).not.toHaveProperty('error')
    expect(spans.get('0000000000000001')!.kind).toBe('server')
    expect(Object.values(trace.spans).every((s) => !('span.kind' in s.attributes))).toBe(true)
  })

  it('reads the /api/traces envelope with several spans per trace and UI-enriched references', () => {
    const trace = only(tracesFromJaegerAnswer(readJsonFixture(`${V1}/oltp2jaeger-multi-out.json`)))
    expect(trace.traceId).toBe('c620759e5d60fafb8ee0922b30e06bc6')
    expect(parentsResolve(trace)).toBe(true)
    const spans = byId(trace)
    expect(spans.get('eff3153be6b1fb93')).toMatchObject({ parentSpanId: null, name: 'main', kind: 'internal', scope: { name: 'widgets', version: '1.2.3' } })
    expect(spans.get('26f5ef9dbb885479')).toMatchObject({ parentSpanId: '49b8e9efa1e8a3b1', scope: { name: 'ohboy' } })
    expect(spans.get('eff3153be6b1fb93')!.resource).toEqual({ 'service.name': 'example-trace', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.version': '1.22.0' })
  })

  it('gives the same spans as the OTLP it was converted from (Jaeger’s own otlp2jaeger fixtures)', () => {
    const pairs: [string, string][] = [
      ['otlp/jaeger/otlp2jaeger-in.json', `${V1}/otlp2jaeger-out.json`],
      ['otlp/jaeger-ui/otlp2jaeger-multi-in-combined.json', `${V1}/oltp2jaeger-multi-out.json`],
    ]
    // Jaeger keeps whole microseconds; OTLP's nanoseconds leave a fraction (within a microsecond, after float rounding)
    const comparable = ({ startUs, durationUs, ...rest }: TraceSpan) => ({ ...rest, startUs: Math.floor(startUs), endUs: Math.floor(startUs + durationUs) })
    for (const [otlpFile, jaegerFile] of pairs) {
      const fromOtlp = spansFromOtlpJson(readJsonFixture(otlpFile))
      const expected = assembleTrace(fromOtlp[0].traceId, fromOtlp, 'Jaeger')
      const actual = only(tracesFromJaegerAnswer(readJsonFixture(jaegerFile)))
      const sort = (spans: TraceSpan[]) => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId)).map(comparable)
      const a = sort(actual.spans)
      const e = sort(expected.spans)
      expect(a.map(({ endUs, ...rest }) => rest)).toEqual(e.map(({ endUs, ...rest }) => rest))
      a.forEach((span, i) => expect(Math.abs(span.endUs - e[i].endUs)).toBeLessThanOrEqual(1))
      expect(actual.partial).toEqual(expected.partial)
    }
  })

  it('pads ids Jaeger printed without leading zeros, so parents resolve', () => {
    const trace = traceFromJaeger(readJsonFixture(`${V1}/spanLongerAsParent.json`))
    expect(trace.traceId).toBe('9ced30503c58dab894a2d7598b01a87a')
    expect(byId(trace).has('04b52eb0cabcb50a')).toBe(true)
    expect(parentsResolve(trace)).toBe(true)
    expect(trace.partial).toBeUndefined()
    const among = traceFromJaeger(readJsonFixture(`${V1}/spansAmongEachOther.json`))
    expect(among.traceId).toBe('0df84e36b9e2ee3815d07f0867a5be1f')
    expect(parentsResolve(among)).toBe(true)
    expect(new Set(among.spans.map((s) => s.service))).toEqual(new Set(['api-gateway', 'customers-service']))
    // a 64-bit trace id becomes a 128-bit one with zeros in front
    expect(traceFromJaeger(readJsonFixture(`${V1}/traceWithThreeShortChildren.json`)).traceId).toBe('0000000000000000006c3cf93508f205')
  })

  it('reads ui_01: logs become events, references choose the parent and keep the rest as links, warnings make it partial', () => {
    const trace = traceFromJaeger(readJsonFixture(`${V1}/ui_01.json`))
    expect(trace.partial?.reason).toMatch(/Jaeger warned: some trace warning/)
    expect(trace.partial?.reason).toMatch(/1 span repeating another span's id was left out/)
    const spans = byId(trace)
    const first = spans.get('0000000000000002')!
    expect(first).toMatchObject({ name: 'test-general-conversion', service: 'service-x', startUs: 1485467191639875, durationUs: 5 })
    expect(first.events).toEqual([
      { name: 'some-event', timeUs: 1485467191639875, attributes: {} },
      { name: 'log', timeUs: 1485467191639875, attributes: { x: 'y' } },
    ])
    // CHILD_OF another trace, CHILD_OF 2, FOLLOWS_FROM 2: the parent is 2, the other trace's span a link
    expect(spans.get('0000000000000004')).toMatchObject({
      parentSpanId: '0000000000000002',
      links: [{ traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff' }],
      attributes: { 'jaeger.warnings': ['some span warning'] },
    })
    expect(spans.get('0000000000000005')!.parentSpanId).toBe('0000000000000004')
    expect(spans.get('0000000000000003')!.service).toBe('service-y')
  })

  it('types tags: int64 (beyond 2^53 kept as the decimal string), float64, bool, binary', () => {
    const input = readJsonFixture<{ spans: { spanID: string }[] }>(`${V1}/ui_01.json`)
    input.spans[1].spanID = '00000000000000aa'
    const span = byId(traceFromJaeger(input)).get('00000000000000aa')!
    expect(span.attributes).toEqual({ 'peer.service': 'service-y', 'peer.ipv4': 23456, temperature: 72.5, javascript_limit: '9223372036854775222', blob: 'AAAwOQ==' })
    expect(span.status.code).toBe('error')
  })

  it('maps OpenTelemetry status, kind and scope tags, and FOLLOWS_FROM alone as the parent', () => {
    const trace = traceFromJaeger({
      traceID: '5b8efff798038103d269b633813fc60c',
      processes: { p1: { serviceName: 'router', tags: [{ key: 'host.name', type: 'string', value: 'gpu-7' }] } },
      spans: [
        { traceID: '5b8efff798038103d269b633813fc60c', spanID: 'eee19b7ec3c1b173', operationName: 'route', references: [], startTime: '1700000000000000', duration: 10, tags: [{ key: 'otel.status_code', type: 'string', value: 'OK' }], processID: 'p1' },
        {
          traceID: '5b8efff798038103d269b633813fc60c',
          spanID: 'eee19b7ec3c1b174',
          operationName: 'generate',
          references: [{ refType: 'FOLLOWS_FROM', traceID: '5b8efff798038103d269b633813fc60c', spanID: 'eee19b7ec3c1b173' }],
          startTime: 1700000000000010,
          duration: 20,
          tags: [
            { key: 'span.kind', type: 'string', value: 'client' },
            { key: 'otel.status_code', type: 'string', value: 'ERROR' },
            { key: 'otel.status_description', type: 'string', value: 'upstream timed out' },
            { key: 'otel.scope.name', type: 'string', value: 'vllm' },
            { key: 'otel.scope.version', type: 'string', value: '0.6.0' },
            { key: 'gen_ai.request.model', type: 'string', value: 'llama-3.1-70b' },
          ],
          logs: null,
          processID: 'p1',
        },
      ],
    })
    const [route, generate] = trace.spans
    expect(route).toMatchObject({ status: { code: 'ok' }, kind: 'unspecified', resource: { 'host.name': 'gpu-7', 'service.name': 'router' } })
    expect(generate).toMatchObject({
      parentSpanId: 'eee19b7ec3c1b173',
      kind: 'client',
      status: { code: 'error', message: 'upstream timed out' },
      scope: { name: 'vllm', version: '0.6.0' },
      attributes: { 'gen_ai.request.model': 'llama-3.1-70b' },
      events: [],
      links: [],
    })
  })

  it('reads api/v3 answers (OTLP/JSON under "result"), zero times left out included', () => {
    const [trace] = tracesFromJaegerV3(readJsonFixture('jaeger/query-api-v3/FindTraces.json'))
    expect(trace).toMatchObject({ traceId: '00000000000000000000000000000001', source: 'Jaeger' })
    expect(trace.spans).toEqual([expect.objectContaining({ spanId: '0000000000000002', name: 'foobar', kind: 'server', status: { code: 'error' }, startUs: 0, durationUs: 0, service: 'unknown_service' })])
    expect(tracesFromJaegerAnswer(readJsonFixture('jaeger/query-api-v3/FindTraces.json'))).toEqual([trace])
  })

  it('reads the OTLP/JSON fixtures from Jaeger’s storage tests as api/v3 answers, grouped by trace', () => {
    const dir = 'otlp/jaeger-storage-integration'
    const expected: Record<string, { traces: number; spans: number; services: string[] }> = {
      'default.json': { traces: 1, spans: 1, services: ['query11-service'] },
      'example_trace.json': { traces: 1, spans: 5, services: ['example-service-1', 'example-service-2', 'example-service-3'] },
      'log_tags_trace.json': { traces: 1, spans: 1, services: ['query02-service'] },
      'multi_index_trace.json': { traces: 1, spans: 2, services: ['query05-service'] },
      'multiple1_trace.json': { traces: 1, spans: 1, services: ['query22-service'] },
      'multispottag_opname_maxdur_trace.json': { traces: 1, spans: 1, services: ['query18-service'] },
      'process_tags_trace.json': { traces: 1, spans: 1, services: ['query03-service'] },
      'scope_name_version_trace.json': { traces: 1, spans: 1, services: ['query23-service'] },
      'span_tags_trace.json': { traces: 1, spans: 1, services: ['query01-service'] },
      'tags_wildcard_regex_1.json': { traces: 1, spans: 1, services: ['query24-service'] },
    }
    const files = fs.readdirSync(path.join(SHARED_FIXTURES, dir)).filter((f) => f.endsWith('.json'))
    expect(files.sort()).toEqual(Object.keys(expected).sort())
    for (const file of files) {
      const traces = tracesFromJaegerV3({ result: readJsonFixture(`${dir}/${file}`) })
      expect({ traces: traces.length, spans: traces[0].spans.length, services: summaryOf(traces[0]).services }).toEqual(expected[file])
    }
    // the memory store's fixture holds two traces and events; its parents are elsewhere (partial)
    const memory = tracesFromJaegerV3({ result: readJsonFixture('otlp/jaeger-memory-store/otel_traces_01.json') })
    expect(memory.map((t) => [t.traceId, t.spans.length])).toEqual([
      ['00000000000000010000000000000000', 2],
      ['00000000000000020000000000000000', 2],
    ])
    expect(memory.every((t) => t.partial?.reason.includes('not in the trace'))).toBe(true)
    const scoped = only(tracesFromJaegerV3({ result: readJsonFixture(`${dir}/scope_name_version_trace.json`) }))
    expect(scoped.spans[0].scope?.name).toBeTruthy()
  })

  it('refuses answers that are not traces, naming where', () => {
    expect(() => tracesFromJaegerAnswer({ data: [{ traceID: 'abc', spans: [{ spanID: '1' }] }] })).toThrow(/data\.0\.spans\.0\.traceID/)
    expect(() => tracesFromJaegerAnswer('<html>')).toThrow(JaegerFormatError)
    expect(() => tracesFromJaegerAnswer({ data: [{ traceID: '1', spans: [{ traceID: '1', spanID: 'zz', operationName: 'x', startTime: 1, duration: 1 }] }] })).toThrow(/spanID “zz” is not a 16-digit hex id/)
    expect(() => tracesFromJaegerAnswer({ data: [{ traceID: '1', spans: [{ traceID: '1', spanID: '2', operationName: 'x', startTime: -1, duration: 1 }] }] })).toThrow(JaegerFormatError)
    expect(tracesFromJaegerAnswer({ data: null, errors: [{ code: 404, msg: 'trace not found' }] })).toEqual([])
  })

  it('parses a generated 20,000-span answer quickly', () => {
    const traceID = 'abcdef0123456789abcdef0123456789'
    const spans = Array.from({ length: 20_000 }, (_, i) => ({
      traceID,
      spanID: (i + 1).toString(16),
      operationName: i % 3 === 0 ? 'chat llama' : 'retrieve',
      references: i === 0 ? [] : [{ refType: 'CHILD_OF', traceID, spanID: Math.ceil(i / 4).toString(16) }],
      startTime: 1_700_000_000_000_000 + i * 10,
      duration: 1000,
      tags: [
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'gen_ai.request.model', type: 'string', value: `model-${i % 3}` },
        { key: 'gen_ai.usage.input_tokens', type: 'int64', value: i },
      ],
      logs: [{ timestamp: 1_700_000_000_000_000 + i * 10, fields: [{ key: 'event', type: 'string', value: 'token' }] }],
      processID: `p${i % 5}`,
      warnings: null,
    }))
    const processes = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`p${i}`, { serviceName: `svc-${i}`, tags: [{ key: 'k8s.pod.name', type: 'string', value: `pod-${i}` }] }]))
    const body = JSON.stringify({ data: [{ traceID, spans, processes, warnings: null }], total: 0, limit: 0, offset: 0, errors: null })
    const started = performance.now()
    const trace = only(tracesFromJaegerAnswer(JSON.parse(body)))
    const elapsed = performance.now() - started
    expect(trace.spans).toHaveLength(20_000)
    expect(trace.partial).toBeUndefined()
    expect(summaryOf(trace)).toMatchObject({ spanCount: 20_000, services: ['svc-0', 'svc-1', 'svc-2', 'svc-3', 'svc-4'], models: ['model-0', 'model-1', 'model-2'] })
    expect(elapsed).toBeLessThan(3000)
  })
})

describe('assembling and summarising', () => {
  const span = (spanId: string, parentSpanId: string | null, extra: Partial<TraceSpan> = {}): TraceSpan => ({
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    service: 'svc',
    kind: 'internal',
    startUs: 10,
    durationUs: 5,
    status: { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
    ...extra,
  })

  it('marks missing parents and repeated ids, and keeps a source’s own reason', () => {
    const trace = assembleTrace('a'.repeat(32), [span('1'.repeat(16), null), span('2'.repeat(16), 'f'.repeat(16)), span('3'.repeat(16), 'e'.repeat(16)), span('1'.repeat(16), null)], 'Tempo', ['Tempo returned part of the trace'])
    expect(trace.spans).toHaveLength(3)
    expect(trace.partial?.reason).toBe("Tempo returned part of the trace; 2 spans refer to 2 parent spans that are not in the trace; 1 span repeating another span's id was left out")
    expect(assembleTrace('a'.repeat(32), [span('1'.repeat(16), null)], 'Tempo').partial).toBeUndefined()
  })

  it('summarises a 200,000-span trace without overflowing the stack', () => {
    const spans = Array.from({ length: 200_000 }, (_, i) => span((i + 1).toString(16).padStart(16, '0'), i === 0 ? null : '0000000000000001', { startUs: i }))
    const summary = summaryOf({ traceId: 'a'.repeat(32), spans, source: 'x' })
    expect(summary).toMatchObject({ spanCount: 200_000, startUs: 0, durationUs: 199_999 + 5, rootName: '0000000000000001' })
  })

  it('checks the filters a backend applies per span against the whole trace', () => {
    const summary = { traceId: 'a'.repeat(32), rootService: 's', rootName: 'r', startUs: 0, durationUs: 2_000_000, spanCount: 3, errorCount: 1, services: ['gateway', 'vllm'], models: ['llama'] }
    const base = { start: new Date(0), end: new Date(1), limit: 20 }
    expect(matchesSearch(summary, { ...base, minDurationMs: 1000 })).toBe(true)
    expect(matchesSearch(summary, { ...base, minDurationMs: 3000 })).toBe(false)
    expect(matchesSearch(summary, { ...base, maxDurationMs: 1000 })).toBe(false)
    expect(matchesSearch(summary, { ...base, status: 'ok' })).toBe(false)
    expect(matchesSearch(summary, { ...base, status: 'error', model: 'llama', service: 'vllm' })).toBe(true)
    expect(matchesSearch(summary, { ...base, model: 'mistral' })).toBe(false)
  })
})
