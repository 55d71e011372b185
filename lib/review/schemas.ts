/** The review's query string (?week= or ?from=&to=) and its settings, shared by the API, the pages and the export. */
import { z } from 'zod'
import { MAX_PERIOD_DAYS, WEEKDAYS } from './period'

const isRealDay = (value: string) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)

/** The periods a review can show: the database refuses some far dates (year 0), and nothing happened before 2000. */
const EARLIEST = Date.UTC(2000, 0, 1)
const LATEST = Date.UTC(2100, 0, 1)
const IN_RANGE = 'must be between 2000-01-01 and 2099-12-31'
const isInRange = (at: number) => at >= EARLIEST && at <= LATEST

/** A day (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant with a time zone. */
const instant = z
  .string()
  .trim()
  .refine((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? isRealDay(v) : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))), {
    message: 'must be a date like 2026-11-16 or an ISO time like 2026-11-16T09:00:00Z',
  })
  .transform((v) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v))

export const reviewQuerySchema = z
  .object({
    week: z
      .string()
      .superRefine((v, ctx) => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) ctx.addIssue({ code: 'custom', message: 'must be a date like 2026-11-16' })
        else if (!isRealDay(v)) ctx.addIssue({ code: 'custom', message: 'is not a real date' })
        // a week reaches 7 days back to its first day and compares with the 7 before that
        else if (!isInRange(Date.parse(`${v}T00:00:00Z`) - 14 * 86_400_000) || !isInRange(Date.parse(`${v}T00:00:00Z`) + 7 * 86_400_000)) ctx.addIssue({ code: 'custom', message: IN_RANGE })
      })
      .optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    // runs even when a field failed above: compare only values that parsed
    if (!(q.from === undefined || q.from instanceof Date) || !(q.to === undefined || q.to instanceof Date)) return
    if (q.week && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['week'], message: 'give either week or from and to, not both' })
    if (q.from && !q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required with from' })
    if (q.to && !q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required with to' })
    if (q.from && q.to) {
      if (q.to.getTime() <= q.from.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' })
      else if (q.to.getTime() - q.from.getTime() > MAX_PERIOD_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_PERIOD_DAYS} days after from` })
      // the comparison period reaches as far back again as the period is long
      if (!isInRange(2 * q.from.getTime() - q.to.getTime())) ctx.addIssue({ code: 'custom', path: ['from'], message: `${IN_RANGE}, with the period before it` })
      if (!isInRange(q.to.getTime())) ctx.addIssue({ code: 'custom', path: ['to'], message: IN_RANGE })
    }
  })
export type ReviewQuery = z.infer<typeof reviewQuerySchema>

/** Pages read the same parameters: keep only the ones the schema knows, as strings. */
export function reviewQueryFrom(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of ['week', 'from', 'to']) {
    const value = params[key]
    if (typeof value === 'string' && value !== '') out[key] = value
  }
  return out
}

export const reviewSettingsSchema = z.object({ weekStart: z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }) }).strict()
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>
