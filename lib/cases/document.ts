/**
 * A case as a portable JSON document (`firebreak.case/v1`): the curated fields and the redacted trace snapshot. It is
 * what Export downloads and Import reads, and it is meant to be checked in as a regression fixture, so it holds no
 * installation-specific references (incident links, user ids): only the case's number and times, for the reader.
 * Export → import → export gives the same document apart from number, pinnedAt and exportedAt.
 */
import { z } from 'zod'
import { issuesFromZod, type ErrorIssue } from '@/lib/errors'
import type { TraceConfig } from '@/lib/traces/config'
import type { Trace } from '@/lib/traces/model'
import { describeTrace } from './describe'
import { categorySchema, notesSchema, tagsSchema, titleSchema } from './schemas'
import { traceSchema } from './trace-schema'

export const CASE_FORMAT = 'firebreak.case/v1'

export interface CaseDocument {
  format: typeof CASE_FORMAT
  exportedAt: string
  case: {
    /** CASE-<number> where it was exported; a new number is given on import */
    number: number | null
    title: string
    category: string
    notes: string
    tags: string[]
    traceId: string
    pipeline: string | null
    models: string[]
    spanCount: number
    traceStartedAt: string
    pinnedAt: string | null
  }
  trace: Trace
}

/** The stored case a document is made from (a row of trace_cases, snapshot already parsed). */
export interface DocumentSource {
  number: number
  title: string
  category: string
  notes: string
  tags: string[]
  traceId: string
  pipeline: string | null
  models: string[]
  spanCount: number
  traceStartedAt: Date
  createdAt: Date
  snapshot: Trace
}

export function toCaseDocument(source: DocumentSource, exportedAt: Date = new Date()): CaseDocument {
  return {
    format: CASE_FORMAT,
    exportedAt: exportedAt.toISOString(),
    case: {
      number: source.number,
      title: source.title,
      category: source.category,
      notes: source.notes,
      tags: [...source.tags],
      traceId: source.traceId,
      pipeline: source.pipeline,
      models: [...source.models],
      spanCount: source.spanCount,
      traceStartedAt: source.traceStartedAt.toISOString(),
      pinnedAt: source.createdAt.toISOString(),
    },
    // parsing puts keys in the model's order: the stored JSON may have them in any order
    trace: traceSchema.parse(source.snapshot),
  }
}

export function caseFileName(number: number): string {
  return `CASE-${number}.firebreak-case.json`
}

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO time such as 2026-11-22T04:30:00.000Z' })

const documentSchema = z.object({
  format: z.unknown().superRefine((format, ctx) => {
    if (format === CASE_FORMAT) return
    ctx.addIssue({
      code: 'custom',
      message:
        typeof format === 'string' && format.startsWith('firebreak.case/')
          ? `is "${format}"; this Firebreak reads ${CASE_FORMAT} documents`
          : `must be "${CASE_FORMAT}": this is not a Firebreak case file`,
    })
  }),
  exportedAt: isoTime.optional(),
  case: z.object({
    number: z.number().int().positive().nullable().optional(),
    title: titleSchema,
    category: categorySchema,
    notes: notesSchema.default(''),
    tags: tagsSchema.default([]),
    traceId: z.string().optional(),
    pipeline: z.string().trim().min(1).max(200).nullable().optional(),
    models: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
    spanCount: z.number().int().nonnegative().optional(),
    traceStartedAt: isoTime.optional(),
    pinnedAt: isoTime.nullable().optional(),
  }),
  trace: traceSchema,
})

/** What import stores: the curated fields, the trace, and the facts derived from it. */
export interface ImportedCase {
  title: string
  category: string
  notes: string
  tags: string[]
  traceId: string
  pipeline: string | null
  models: string[]
  spanCount: number
  traceStartedAt: Date
  trace: Trace
}

export type ParsedCaseDocument = { ok: true; value: ImportedCase } | { ok: false; issues: ErrorIssue[] }

/**
 * Validates a case file. Every problem comes back with its path (`case.category`, `trace.spans.3.spanId`), so a person
 * editing a fixture by hand can find it. Span count, start time and trace id, when the file states them, must agree
 * with the trace it holds; pipeline and models, when absent, are read from the trace.
 */
export function parseCaseDocument(value: unknown, config?: TraceConfig): ParsedCaseDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '(document)', message: `must be a JSON object with "format": "${CASE_FORMAT}", "case" and "trace"` }] }
  }
  const parsed = documentSchema.safeParse(value)
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) }
  const { case: fields, trace } = parsed.data
  const facts = describeTrace(trace, config)
  const issues: ErrorIssue[] = []
  if (fields.traceId !== undefined && fields.traceId !== trace.traceId) issues.push({ path: 'case.traceId', message: `is ${fields.traceId}, but the trace is ${trace.traceId}` })
  if (fields.spanCount !== undefined && fields.spanCount !== facts.spanCount) issues.push({ path: 'case.spanCount', message: `is ${fields.spanCount}, but the trace holds ${facts.spanCount} spans` })
  if (fields.traceStartedAt !== undefined && Date.parse(fields.traceStartedAt) !== facts.traceStartedAt.getTime()) {
    issues.push({ path: 'case.traceStartedAt', message: `is ${fields.traceStartedAt}, but the trace's first span starts at ${facts.traceStartedAt.toISOString()}` })
  }
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    value: {
      title: fields.title,
      category: fields.category,
      notes: fields.notes,
      tags: fields.tags,
      traceId: trace.traceId,
      pipeline: fields.pipeline === undefined ? facts.pipeline : fields.pipeline,
      models: fields.models === undefined ? facts.models : [...new Set(fields.models)].sort(),
      spanCount: facts.spanCount,
      traceStartedAt: facts.traceStartedAt,
      trace,
    },
  }
}
