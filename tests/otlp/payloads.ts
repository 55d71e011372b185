/** OTLP payloads for the receiver's tests and benchmark: OTLP/JSON objects, their protobuf bytes, gzip bombs. */
import { randomBytes } from 'node:crypto'
import zlib from 'node:zlib'
import { encodeOtlpProtobuf } from '@/lib/traces/otlp/decode'

export const randomTraceId = () => randomBytes(16).toString('hex')
export const randomSpanId = () => randomBytes(8).toString('hex')

export interface JsonSpanInput {
  traceId: string
  spanId: string
  parentSpanId?: string
  name?: string
  startNs?: bigint
  durationNs?: bigint
  attributes?: Record<string, string | number | boolean>
  error?: boolean
}

function anyValue(v: string | number | boolean) {
  if (typeof v === 'string') return { stringValue: v }
  if (typeof v === 'boolean') return { boolValue: v }
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }
}

/** An ExportTraceServiceRequest in OTLP/JSON (hex ids) with one resource. */
export function otlpJsonRequest(service: string, spans: JsonSpanInput[], resource: Record<string, string> = {}) {
  const now = BigInt(Date.now()) * 1_000_000n
  return {
    resourceSpans: [
      {
        resource: { attributes: Object.entries({ 'service.name': service, ...resource }).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeSpans: [
          {
            scope: { name: 'firebreak-tests', version: '1.0.0' },
            spans: spans.map((s) => {
              const start = s.startNs ?? now
              return {
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name ?? 'span',
                kind: 1,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + (s.durationNs ?? 1_000_000n)),
                attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
                status: { code: s.error ? 2 : 0 },
              }
            }),
          },
        ],
      },
    ],
  }
}

type Json = { [key: string]: unknown }

/** The same request as protobuf: hex ids become bytes (protobufjs reads strings in bytes fields as base64). */
export function toProtobuf(request: Json): Uint8Array {
  const clone = structuredClone(request) as { resourceSpans: { scopeSpans: { spans: Json[] }[] }[] }
  const bytes = (hex: unknown) => (typeof hex === 'string' ? Buffer.from(hex, 'hex') : hex)
  for (const rs of clone.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        span.traceId = bytes(span.traceId)
        span.spanId = bytes(span.spanId)
        if (span.parentSpanId !== undefined) span.parentSpanId = bytes(span.parentSpanId)
        for (const link of (span.links as Json[] | undefined) ?? []) {
          link.traceId = bytes(link.traceId)
          link.spanId = bytes(link.spanId)
        }
      }
  return encodeOtlpProtobuf(clone)
}

/**
 * A gzip body that inflates to `inflatedBytes` of zeros while being about a thousandth of that: one gzip member of
 * 16 MiB of zeros, repeated (gunzip reads concatenated members as one stream).
 */
export function gzipBomb(inflatedBytes: number): Buffer {
  const memberSize = 16 * 1_048_576
  const member = zlib.gzipSync(Buffer.alloc(memberSize), { level: 9 })
  const count = Math.ceil(inflatedBytes / memberSize)
  return Buffer.concat(Array.from({ length: count }, () => member))
}
