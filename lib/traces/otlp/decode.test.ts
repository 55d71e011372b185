import { describe, expect, it } from 'vitest'
import { readFixture } from '@/tests/fixtures'
import { otlpJsonRequest, randomSpanId, randomTraceId, toProtobuf } from '@/tests/otlp/payloads'
import { OtlpFormatError, spansFromOtlpJson } from '../otlp-json'
import { decodeExportResponse, decodeRpcStatus, encodeExportResponse, encodeRpcStatus, spansFromOtlpJsonBody, spansFromOtlpProtobuf } from './decode'
import { OTLP_TRACE_DESCRIPTOR } from './proto/descriptor'
import { descriptorFromProtoFiles } from './proto/generate'

const fixture = () => JSON.parse(readFixture('otlp/opentelemetry-proto/trace.json'))

describe('OTLP protobuf decoding', () => {
  it('bundles exactly the descriptor of the vendored .proto files', () => {
    expect(JSON.parse(JSON.stringify(OTLP_TRACE_DESCRIPTOR))).toEqual(JSON.parse(JSON.stringify(descriptorFromProtoFiles())))
  })

  it('decodes the opentelemetry-proto example to the same spans as its JSON form', () => {
    const json = fixture()
    const fromJson = spansFromOtlpJson(json)
    // the fixture's ids are upper-case hex; protobuf carries bytes
    const fromProtobuf = spansFromOtlpProtobuf(toProtobuf(json))
    expect(fromProtobuf).toEqual(fromJson)
    expect(fromProtobuf[0]).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: 'eee19b7ec3c1b173', kind: 'server', service: 'my.service' })
  })

  it('keeps fixed64 nanoseconds exact, and every attribute type', () => {
    const traceId = randomTraceId()
    const request = otlpJsonRequest('svc', [{ traceId, spanId: randomSpanId(), startNs: 1_763_000_000_123_456_789n, durationNs: 1_001n, attributes: { s: 'x', i: 42, d: 0.7, b: true } }])
    const span = request.resourceSpans[0].scopeSpans[0].spans[0] as Record<string, unknown>
    ;(span.attributes as unknown[]).push(
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'stop' }, { stringValue: 'length' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { intValue: '-5' } }] } } },
    )
    const [decoded] = spansFromOtlpProtobuf(toProtobuf(request))
    expect(decoded.startUs).toBe(1_763_000_000_123_456.789)
    // a double holds today's microseconds to a quarter of one: that is the model's resolution
    expect(Math.abs(decoded.durationUs - 1.001)).toBeLessThanOrEqual(0.25)
    expect(decoded.attributes).toEqual({ s: 'x', i: 42, d: 0.7, b: true, arr: ['stop', 'length'], kv: { a: -5 } })
    expect(decoded.traceId).toBe(traceId)
    expect(decoded.parentSpanId).toBeNull()
  })

  it('refuses a truncated message', () => {
    const bytes = toProtobuf(otlpJsonRequest('svc', [{ traceId: randomTraceId(), spanId: randomSpanId(), name: 'a span with a name long enough' }]))
    for (const cut of [1, 7, 20]) expect(() => spansFromOtlpProtobuf(bytes.subarray(0, bytes.length - cut))).toThrow(OtlpFormatError)
  })

  it('refuses ids of the wrong length or all zeros, naming the span', () => {
    const good = { traceId: randomTraceId(), spanId: randomSpanId() }
    const cases = [
      { ...good, traceId: randomSpanId() }, // 8-byte trace id
      { ...good, traceId: 'ab'.repeat(11) }, // 11 bytes: base64 of this hex would look like 16 bytes
      { ...good, spanId: 'ab'.repeat(4) },
      { ...good, traceId: '0'.repeat(32) },
      { ...good, parentSpanId: 'ab'.repeat(5) },
    ]
    for (const span of cases) {
      expect(() => spansFromOtlpProtobuf(toProtobuf(otlpJsonRequest('svc', [good, span])))).toThrow(/resourceSpans\.0\.scopeSpans\.0\.spans\.1/)
    }
  })

  it('reads an empty request as no spans', () => {
    expect(spansFromOtlpProtobuf(new Uint8Array(0))).toEqual([])
    expect(spansFromOtlpJsonBody(Buffer.from('{}'))).toEqual([])
  })
})

describe('OTLP/JSON bodies', () => {
  it('decodes the opentelemetry-proto example', () => {
    expect(spansFromOtlpJsonBody(Buffer.from(readFixture('otlp/opentelemetry-proto/trace.json')))).toHaveLength(1)
  })

  it('refuses text that is not JSON, and JSON that is not a request', () => {
    expect(() => spansFromOtlpJsonBody(Buffer.from('{"resourceSpans": ['))).toThrow(OtlpFormatError)
    expect(() => spansFromOtlpJsonBody(Buffer.from('[]'))).toThrow(OtlpFormatError)
    expect(() => spansFromOtlpJsonBody(Buffer.from('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}'))).toThrow(OtlpFormatError)
  })
})

describe('receiver answers', () => {
  it('encodes an empty ExportTraceServiceResponse, or one with partial success', () => {
    expect(encodeExportResponse('protobuf')).toHaveLength(0)
    expect(Buffer.from(encodeExportResponse('json')).toString()).toBe('{}')
    const partial = encodeExportResponse('protobuf', { rejectedSpans: 3, errorMessage: 'too old' })
    expect(decodeExportResponse(partial)).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: 'too old' } })
    expect(JSON.parse(Buffer.from(encodeExportResponse('json', { rejectedSpans: 3, errorMessage: 'too old' })).toString())).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: 'too old' } })
  })

  it('encodes failures as google.rpc.Status', () => {
    expect(decodeRpcStatus(encodeRpcStatus('protobuf', 3, 'bad'))).toEqual({ code: 3, message: 'bad' })
    expect(JSON.parse(Buffer.from(encodeRpcStatus('json', 14, 'later')).toString())).toEqual({ code: 14, message: 'later' })
  })
})
