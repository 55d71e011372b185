/**
 * Firebreak's Trace model (lib/traces/model.ts) as a zod schema: what an imported case file must hold, and the check a
 * stored snapshot passes before it leaves the server. Parsing also puts every object's keys in one order (the model's,
 * attribute names sorted), so an export reads the same whatever order the database kept them in, and a fixture
 * checked into Git diffs cleanly.
 */
import { z } from 'zod'
import type { AttributeValue, Attributes, Trace } from '@/lib/traces/model'

export const MAX_SPANS = 100_000

const traceId = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits')
const spanId = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits')
const micros = z.number().finite().nonnegative('must not be negative')

export const attributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(attributeValueSchema), z.record(z.string(), attributeValueSchema)]),
)
/** Attribute maps with their keys sorted, nested maps too: their order carries no meaning and jsonb does not keep it. */
function sortedKeys(value: AttributeValue): AttributeValue {
  if (Array.isArray(value)) return value.map(sortedKeys)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys(value[key])]))
  return value
}
const attributes = z.record(z.string(), attributeValueSchema).transform((map) => sortedKeys(map) as Attributes)

export const traceSpanSchema = z.object({
  traceId,
  spanId,
  parentSpanId: spanId.nullable(),
  name: z.string().max(1000),
  service: z.string().max(500),
  kind: z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']),
  startUs: micros,
  durationUs: micros,
  status: z.object({ code: z.enum(['unset', 'ok', 'error']), message: z.string().optional() }),
  attributes,
  resource: attributes,
  scope: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  events: z.array(z.object({ name: z.string(), timeUs: micros, attributes })),
  links: z.array(z.object({ traceId, spanId })),
})

export const traceSchema = z
  .object({
    traceId,
    spans: z.array(traceSpanSchema).min(1, 'a trace needs at least one span').max(MAX_SPANS, `at most ${MAX_SPANS.toLocaleString('en')} spans`),
    partial: z.object({ reason: z.string() }).optional(),
    source: z.string().min(1).max(200),
  })
  .superRefine((trace, ctx) => {
    const seen = new Set<string>()
    trace.spans.forEach((span, i) => {
      if (span.traceId !== trace.traceId) ctx.addIssue({ code: 'custom', path: ['spans', i, 'traceId'], message: `is ${span.traceId}, not the trace's id ${trace.traceId}` })
      if (seen.has(span.spanId)) ctx.addIssue({ code: 'custom', path: ['spans', i, 'spanId'], message: `${span.spanId} appears twice in the trace` })
      seen.add(span.spanId)
    })
  }) satisfies z.ZodType<Trace>
