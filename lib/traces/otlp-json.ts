/**
 * OTLP trace data (ExportTraceServiceRequest / TracesData) in its JSON form into Firebreak's model. The OTLP receiver
 * decodes protobuf into the same shape first; Tempo answers trace-by-id in it ("batches" in older versions, with
 * "instrumentationLibrarySpans"). Validation is strict where a mistake would corrupt data (ids, times) and lenient
 * where the spec allows omission (attributes, events, status).
 */
import { z } from 'zod'
import type { AttributeValue, Attributes, SpanKind, SpanStatusCode, TraceSpan } from './model'

export class OtlpFormatError extends Error {}

/**
 * OTLP/JSON carries ids as hex; Tempo (and any protobuf JSON mapping) as base64 of the bytes. Both become lowercase hex.
 * The receiver turns protobufjs' decoded bytes into hex before this.
 */
export function idToHex(value: string, hexLength: number): string {
  if (value.length === hexLength && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase()
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const bytes = Buffer.from(value, 'base64')
    if (bytes.length === hexLength / 2) return bytes.toString('hex')
  }
  return value.toLowerCase()
}

const hexId = (length: number) =>
  z
    .string()
    .transform((s) => idToHex(s, length))
    .refine((s) => s.length === length && /^[0-9a-f]+$/.test(s) && !/^0+$/.test(s), { message: `must be ${length} hex digits (or their base64), not all zero` })

/** 64-bit integers arrive as strings (JSON) or numbers; either way they must be whole and non-negative. */
const uint64 = z.union([z.string().regex(/^\d+$/, 'must be a whole number'), z.number().int().nonnegative()])

type AnyValue = {
  stringValue?: string
  boolValue?: boolean
  intValue?: string | number
  doubleValue?: number | string
  bytesValue?: string
  arrayValue?: { values?: AnyValue[] }
  kvlistValue?: { values?: { key: string; value?: AnyValue }[] }
}

const anyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z
    .object({
      stringValue: z.string().optional(),
      boolValue: z.boolean().optional(),
      intValue: z.union([z.string(), z.number()]).optional(),
      doubleValue: z.union([z.number(), z.string()]).optional(),
      bytesValue: z.string().optional(),
      arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
      kvlistValue: z.object({ values: z.array(z.object({ key: z.string(), value: anyValue.optional() })).optional() }).optional(),
    })
    .passthrough(),
)

const keyValues = z.array(z.object({ key: z.string(), value: anyValue.optional() }).passthrough()).optional()

const span = z
  .object({
    traceId: hexId(32),
    spanId: hexId(16),
    parentSpanId: z.union([z.literal(''), hexId(16)]).optional(),
    name: z.string().max(1000),
    kind: z.union([z.number().int().min(0).max(5), z.string()]).optional(),
    startTimeUnixNano: uint64,
    endTimeUnixNano: uint64,
    attributes: keyValues,
    events: z.array(z.object({ timeUnixNano: uint64.optional(), name: z.string().optional(), attributes: keyValues }).passthrough()).optional(),
    links: z.array(z.object({ traceId: hexId(32), spanId: hexId(16) }).passthrough()).optional(),
    status: z.object({ code: z.union([z.number().int(), z.string()]).optional(), message: z.string().optional() }).passthrough().optional(),
  })
  .passthrough()

const scopeSpans = z.object({ scope: z.object({ name: z.string().optional(), version: z.string().optional() }).passthrough().optional(), spans: z.array(span).optional() }).passthrough()

const resourceSpans = z
  .object({
    resource: z.object({ attributes: keyValues }).passthrough().optional(),
    scopeSpans: z.array(scopeSpans).optional(),
    instrumentationLibrarySpans: z.array(z.object({ instrumentationLibrary: z.object({ name: z.string().optional(), version: z.string().optional() }).passthrough().optional(), spans: z.array(span).optional() }).passthrough()).optional(),
  })
  .passthrough()

export const otlpTracesSchema = z.union([z.object({ resourceSpans: z.array(resourceSpans) }).passthrough(), z.object({ batches: z.array(resourceSpans) }).passthrough()])
export type OtlpTracesJson = z.infer<typeof otlpTracesSchema>

export function attributeValue(value: AnyValue | undefined): AttributeValue {
  if (!value) return null
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return Number(value.doubleValue)
  if (value.bytesValue !== undefined) return value.bytesValue
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(attributeValue)
  if (value.kvlistValue) return Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, attributeValue(kv.value)]))
  return null
}

export function attributesOf(list: { key: string; value?: AnyValue }[] | undefined): Attributes {
  const out: Attributes = {}
  for (const kv of list ?? []) out[kv.key] = attributeValue(kv.value)
  return out
}

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']

function kindOf(kind: number | string | undefined): SpanKind {
  if (typeof kind === 'number') return KINDS[kind] ?? 'unspecified'
  const name = (kind ?? '').toLowerCase().replace(/^span_kind_/, '')
  return (KINDS as string[]).includes(name) ? (name as SpanKind) : 'unspecified'
}

function statusOf(code: number | string | undefined): SpanStatusCode {
  if (code === 1 || code === 'STATUS_CODE_OK' || code === 'Ok') return 'ok'
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === 'Error') return 'error'
  return 'unset'
}

/** Nanoseconds (a 64-bit string) to microseconds, without going through a lossy float of the nanoseconds. */
export function nanosToMicros(nanos: string | number): number {
  const text = String(nanos)
  return text.length > 3 ? Number(text.slice(0, -3)) + Number(text.slice(-3)) / 1000 : Number(text) / 1000
}

/**
 * Every span in an OTLP/JSON payload, or OtlpFormatError naming the first problem (path and reason). A span whose end
 * is before its start is an error: storing it would draw nonsense.
 */
export function spansFromOtlpJson(payload: unknown): TraceSpan[] {
  const parsed = otlpTracesSchema.safeParse(payload)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new OtlpFormatError(`${issue.path.join('.') || '(body)'}: ${issue.message}`)
  }
  const data = parsed.data as { resourceSpans?: z.infer<typeof resourceSpans>[]; batches?: z.infer<typeof resourceSpans>[] }
  const batches = data.resourceSpans ?? data.batches ?? []
  const out: TraceSpan[] = []
  for (const [r, rs] of batches.entries()) {
    const resource = attributesOf(rs.resource?.attributes)
    const service = typeof resource['service.name'] === 'string' ? (resource['service.name'] as string) : 'unknown_service'
    const scopes = [
      ...(rs.scopeSpans ?? []).map((s) => ({ scope: s.scope, spans: s.spans ?? [] })),
      ...(rs.instrumentationLibrarySpans ?? []).map((s) => ({ scope: s.instrumentationLibrary, spans: s.spans ?? [] })),
    ]
    for (const { scope, spans } of scopes) {
      for (const [i, s] of spans.entries()) {
        const startUs = nanosToMicros(s.startTimeUnixNano)
        const endUs = nanosToMicros(s.endTimeUnixNano)
        if (endUs < startUs) throw new OtlpFormatError(`resourceSpans.${r} span ${i} (${s.spanId}): endTimeUnixNano is before startTimeUnixNano`)
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ? s.parentSpanId : null,
          name: s.name,
          service,
          kind: kindOf(s.kind),
          startUs,
          durationUs: endUs - startUs,
          status: { code: statusOf(s.status?.code), ...(s.status?.message ? { message: s.status.message } : {}) },
          attributes: attributesOf(s.attributes),
          resource,
          ...(scope?.name ? { scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) } } : {}),
          events: (s.events ?? []).map((e) => ({ name: e.name ?? '', timeUs: e.timeUnixNano !== undefined ? nanosToMicros(e.timeUnixNano) : startUs, attributes: attributesOf(e.attributes) })),
          links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
        })
      }
    }
  }
  return out
}
