import { describe, expect, it } from 'vitest'
import { readFixture } from '@/tests/fixtures'
import { normalizeTraceId, summarize } from './model'
import { nanosToMicros, OtlpFormatError, spansFromOtlpJson } from './otlp-json'

describe('OTLP/JSON into the trace model', () => {
  it('reads the opentelemetry-proto example: ids lowercased, times in microseconds, kind, resource and scope', () => {
    const [span] = spansFromOtlpJson(JSON.parse(readFixture('otlp/opentelemetry-proto/trace.json')))
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      service: 'my.service',
      kind: 'server',
      startUs: 1544712660000000,
      durationUs: 1_000_000,
      attributes: { 'my.span.attr': 'some value' },
      scope: { name: 'my.library', version: '1.0.0' },
    })
  })

  it("reads Tempo's trace-by-id answer (batches)", () => {
    const spans = spansFromOtlpJson(JSON.parse(readFixture('tempo/oats/trace_by_id.json')))
    expect(spans.length).toBeGreaterThan(0)
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
    expect(spans.every((s) => s.durationUs >= 0 && s.service !== '')).toBe(true)
  })

  it('keeps microsecond precision from 19-digit nanosecond strings', () => {
    expect(nanosToMicros('1544712660123456789')).toBe(1544712660123456.789)
    expect(nanosToMicros('999')).toBeCloseTo(0.999, 12)
  })

  it('refuses invalid ids and a span that ends before it starts, naming where', () => {
    const base = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '00000000000000000000000000000000', spanId: 'eee19b7ec3c1b174', name: 'x', startTimeUnixNano: '2', endTimeUnixNano: '3' }] }] }] }
    expect(() => spansFromOtlpJson(base)).toThrow(OtlpFormatError)
    expect(() => spansFromOtlpJson(base)).toThrow(/resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId/)
    const backwards = structuredClone(base)
    backwards.resourceSpans[0].scopeSpans[0].spans[0].traceId = '5b8efff798038103d269b633813fc60c'
    backwards.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano = '5'
    expect(() => spansFromOtlpJson(backwards)).toThrow('endTimeUnixNano is before startTimeUnixNano')
  })

  it('normalizes pasted trace ids and summarizes a trace', () => {
    expect(normalizeTraceId(' 5B8EFFF798038103D269B633813FC60C ')).toBe('5b8efff798038103d269b633813fc60c')
    expect(normalizeTraceId('eee19b7ec3c1b174')).toBe('0000000000000000eee19b7ec3c1b174')
    expect(normalizeTraceId('not-a-trace')).toBeNull()
    const spans = spansFromOtlpJson(JSON.parse(readFixture('otlp/opentelemetry-proto/trace.json')))
    expect(summarize({ traceId: spans[0].traceId, spans, source: 'test' })).toMatchObject({ rootService: 'my.service', spanCount: 1, errorCount: 0, durationUs: 1_000_000 })
  })
})
