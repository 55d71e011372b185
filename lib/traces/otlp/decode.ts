/**
 * OTLP/HTTP payloads into the trace model, and the receiver's answers in the request's own encoding.
 * Protobuf is decoded with protobufjs from the vendored opentelemetry-proto descriptor (proto/), turned into the
 * OTLP/JSON object shape (ids as lowercase hex, 64-bit numbers as decimal strings) and handed to spansFromOtlpJson,
 * so both encodings go through one validation. Any problem is an OtlpFormatError: the whole export is refused.
 */
import protobuf from 'protobufjs'
import { OtlpFormatError, spansFromOtlpJson } from '../otlp-json'
import type { TraceSpan } from '../model'
import { OTLP_TRACE_DESCRIPTOR } from './proto/descriptor'

export type OtlpEncoding = 'protobuf' | 'json'

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace)
root.resolveAll()
const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest')
const ExportTraceServiceResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse')
/** google.rpc.Status without its details: what OTLP/HTTP servers send with a failure. */
const RpcStatus = protobuf.Root.fromJSON({
  nested: { google: { nested: { rpc: { nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } } } } } },
}).lookupType('google.rpc.Status')

// 64-bit times must not pass through a float: protobufjs needs long.js for exact fixed64 values.
if (!protobuf.util.Long) throw new Error('protobufjs is missing long.js: 64-bit OTLP timestamps would lose precision')

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, defaults: false }

interface DecodedLink {
  traceId?: string
  spanId?: string
}
interface DecodedSpan extends DecodedLink {
  parentSpanId?: string
  links?: DecodedLink[]
}
interface DecodedRequest {
  resourceSpans?: { scopeSpans?: { spans?: DecodedSpan[] }[] }[]
}

/** base64 (how protobufjs renders bytes) of an id that must be exactly `bytes` long into hex. */
function hexId(base64: string | undefined, bytes: number, where: string, optional = false): string | undefined {
  const raw = Buffer.from(base64 ?? '', 'base64')
  if (raw.length === 0 && optional) return undefined
  if (raw.length !== bytes) throw new OtlpFormatError(`${where}: must be ${bytes} bytes, got ${raw.length}`)
  return raw.toString('hex')
}

/** An ExportTraceServiceRequest (or TracesData: same field 1) in protobuf into spans. */
export function spansFromOtlpProtobuf(body: Uint8Array): TraceSpan[] {
  let message: protobuf.Message
  try {
    message = ExportTraceServiceRequest.decode(body)
  } catch (error) {
    throw new OtlpFormatError(`not a valid ExportTraceServiceRequest: ${(error as Error).message}`)
  }
  const request = ExportTraceServiceRequest.toObject(message, TO_OBJECT) as DecodedRequest
  request.resourceSpans ??= []
  for (const [r, rs] of (request.resourceSpans ?? []).entries()) {
    for (const [s, ss] of (rs.scopeSpans ?? []).entries()) {
      for (const [i, span] of (ss.spans ?? []).entries()) {
        const where = `resourceSpans.${r}.scopeSpans.${s}.spans.${i}`
        span.traceId = hexId(span.traceId, 16, `${where}.traceId`)
        span.spanId = hexId(span.spanId, 8, `${where}.spanId`)
        span.parentSpanId = hexId(span.parentSpanId, 8, `${where}.parentSpanId`, true)
        for (const [l, link] of (span.links ?? []).entries()) {
          link.traceId = hexId(link.traceId, 16, `${where}.links.${l}.traceId`)
          link.spanId = hexId(link.spanId, 8, `${where}.links.${l}.spanId`)
        }
      }
    }
  }
  return spansFromOtlpJson(request)
}

/** An OTLP/JSON ExportTraceServiceRequest into spans. */
export function spansFromOtlpJsonBody(body: Uint8Array): TraceSpan[] {
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
  } catch {
    throw new OtlpFormatError('the body is not valid JSON')
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new OtlpFormatError('the body is not an ExportTraceServiceRequest object')
  // proto3 JSON leaves out empty repeated fields: {} is a request without spans
  if (Object.keys(payload).length === 0) return []
  return spansFromOtlpJson(payload)
}

export function decodeOtlpTraces(body: Uint8Array, encoding: OtlpEncoding): TraceSpan[] {
  return encoding === 'protobuf' ? spansFromOtlpProtobuf(body) : spansFromOtlpJsonBody(body)
}

export interface PartialSuccess {
  rejectedSpans: number
  errorMessage: string
}

/** The success answer: an empty ExportTraceServiceResponse, or one with partial_success. */
export function encodeExportResponse(encoding: OtlpEncoding, partial?: PartialSuccess): Uint8Array {
  const body = partial ? { partialSuccess: { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage } } : {}
  if (encoding === 'json') return Buffer.from(JSON.stringify(partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {}))
  return ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject(body)).finish()
}

/** A failure as google.rpc.Status (gRPC code and message), in the request's encoding. */
export function encodeRpcStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }))
  return RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish()
}

export function decodeRpcStatus(body: Uint8Array): { code: number; message: string } {
  return RpcStatus.toObject(RpcStatus.decode(body), { defaults: true }) as { code: number; message: string }
}

export function decodeExportResponse(body: Uint8Array): { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } } {
  return ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(body), { longs: String }) as never
}

/** For tests and the benchmark: spans in OTLP/JSON object shape into protobuf bytes, as an SDK would send them. */
export function encodeOtlpProtobuf(request: unknown): Uint8Array {
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request as Record<string, unknown>)).finish()
}
