/**
 * The case library's inputs, shared by the API routes, the service and the forms. A case's category is always a
 * failure class id from lib/taxonomy, so a case links to the runbook of its class.
 */
import { z } from 'zod'
import { FAILURE_CLASSES, findFailureClass } from '@/lib/taxonomy'
import { normalizeTraceId } from '@/lib/traces/model'

export const MAX_TAGS = 20

/** A positive whole number, from JSON or from text ("12", "CASE-12", "INC-42": the prefix is dropped). */
function numberRef(prefix: RegExp, message: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replace(prefix, '')) : v),
    z.number({ error: message }).int(message).min(1, message).max(2_147_483_647, message),
  )
}

/** "CASE-12" or "12": what a link or a person types. */
export const caseNumberSchema = numberRef(/^case-/i, 'must be a case number such as 12 or CASE-12')
export const incidentRefSchema = numberRef(/^inc-/i, 'must be an incident number such as 42 or INC-42')

export const traceIdSchema = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const id = normalizeTraceId(value)
    if (!id) {
      ctx.addIssue({ code: 'custom', message: 'must be a trace id: 32 hex digits (or 16 for a 64-bit Jaeger id)' })
      return z.NEVER
    }
    return id
  })

export const categorySchema = z
  .string()
  .trim()
  .refine((id) => findFailureClass(id) !== undefined, {
    message: `must be a failure class id from the taxonomy, such as ${FAILURE_CLASSES.slice(0, 3).map((c) => c.id).join(', ')}`,
  })

export const titleSchema = z.string().trim().min(3, 'needs at least 3 characters').max(200, 'must be at most 200 characters')
export const notesSchema = z.string().trim().max(20_000, 'must be at most 20,000 characters')

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a tag cannot be empty')
  .max(40, 'a tag must be at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9._:/-]*$/, 'a tag is letters, digits and . _ : / -, like kv-cache or rag-chat')

/** Tags as a list or as the comma-separated text a form sends; trimmed, lowercased, deduplicated. */
export const tagsSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(tag).max(MAX_TAGS, `at most ${MAX_TAGS} tags`))
  .transform((tags) => [...new Set(tags)])

/** Incident numbers as a list or the comma-separated text a form sends ("42, INC-43"). */
const incidentNumbers = z
  .preprocess((v) => (typeof v === 'string' ? v.split(',').map((n) => n.trim()).filter(Boolean) : v), z.array(incidentRefSchema).max(20, 'at most 20 incidents'))
  .transform((numbers) => [...new Set(numbers)])

export const pinCaseSchema = z.object({
  traceId: traceIdSchema,
  title: titleSchema,
  category: categorySchema,
  notes: notesSchema.default(''),
  tags: tagsSchema.default([]),
  incidentNumbers: incidentNumbers.default([]),
})
export type PinCaseInput = z.infer<typeof pinCaseSchema>

export const updateCaseSchema = z
  .object({
    version: z.number({ error: 'must be the version you started editing from' }).int().min(1),
    title: titleSchema.optional(),
    category: categorySchema.optional(),
    notes: notesSchema.optional(),
    tags: tagsSchema.optional(),
  })
  .strict()
export type UpdateCaseInput = z.infer<typeof updateCaseSchema>

export const linkIncidentSchema = z.object({ incidentNumber: incidentRefSchema })

const day = z.iso.date({ message: 'must be a date such as 2026-11-22' })
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

/** The library's filters, as they appear in /cases?… and /api/cases?… */
export const listCasesQuerySchema = z.object({
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  category: z.preprocess(emptyAsUndefined, categorySchema.optional()),
  model: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  pipeline: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  tag: z.preprocess(emptyAsUndefined, z.string().trim().toLowerCase().max(40).optional()),
  /** trace start, UTC days, inclusive */
  from: z.preprocess(emptyAsUndefined, day.optional()),
  to: z.preprocess(emptyAsUndefined, day.optional()),
  incident: z.preprocess(emptyAsUndefined, incidentRefSchema.optional()),
  page: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(25)),
})
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>

export const similarQuerySchema = z
  .object({
    traceId: z.preprocess(emptyAsUndefined, traceIdSchema.optional()),
    case: z.preprocess(emptyAsUndefined, caseNumberSchema.optional()),
    /** the class to rank "same category" matches by, e.g. the trace page's suggested category */
    category: z.preprocess(emptyAsUndefined, categorySchema.optional()),
    limit: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(50).default(10)),
  })
  .refine((q) => (q.traceId === undefined) !== (q.case === undefined), { message: 'send either traceId or case', path: ['traceId'] })
export type SimilarQuery = z.infer<typeof similarQuerySchema>
