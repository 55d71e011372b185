import { z } from 'zod'

export const runbookIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'is not a runbook id').max(120)
export const revisionNumberSchema = z.coerce.number({ error: 'must be a revision number' }).int().min(1).max(1_000_000)
