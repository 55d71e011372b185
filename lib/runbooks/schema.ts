import { z } from 'zod'
import { ERROR_STATES, FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'

export const UNKNOWN_CLASS = 'unknown'
const classIds: [string, ...string[]] = [UNKNOWN_CLASS, ...FAILURE_CLASSES.map((c) => c.id)]

/** Runbook front matter (docs/runbooks.md). */
export const frontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, like gpu-oom'),
    title: z.string().trim().min(3).max(200),
    failureClass: z.enum(classIds, { error: `must be a failure class id from lib/taxonomy, or "${UNKNOWN_CLASS}"` }),
    errorState: z.enum(ERROR_STATES),
    pathway: z.enum(PATHWAYS),
    signals: z.array(z.string().trim().min(3)).min(1, 'needs at least one signal'),
    owners: z.array(z.string().trim().min(1)).min(1, 'needs at least one owner'),
    version: z.number().int().min(1),
    lastReviewed: z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-22')]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
  })
  .strict()
export type RunbookFrontMatter = z.infer<typeof frontMatterSchema>

export const saveRevisionSchema = z.object({
  content: z.string().min(1, 'is empty').max(500_000, 'is too long (500 kB at most)'),
  message: z.string().trim().min(3, 'say what changed and why (3+ characters)').max(500),
  /** the head revision the editor started from */
  baseRevision: z.number().int().min(0),
})

export const runbookFiltersSchema = z.object({
  q: z.string().trim().max(200).optional(),
  failureClass: z.string().max(80).optional(),
  errorState: z.enum(ERROR_STATES).optional(),
  pathway: z.enum(PATHWAYS).optional(),
  owner: z.string().max(120).optional(),
})
export type RunbookFilters = z.infer<typeof runbookFiltersSchema>

export const tickSchema = z.object({
  incident: z.coerce.number().int().min(1),
  itemKey: z.string().regex(/^[0-9a-f]{16}$/),
  checked: z.boolean(),
})
