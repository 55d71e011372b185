import { z } from 'zod'
import { checkPromql } from '@/lib/telemetry/promql'
import { ALERTING_PRESETS } from './burn-rate'
import { WINDOW_PLACEHOLDER } from './rules'

/** A query an SLI runs: valid PromQL once its [{{.window}}] placeholder is filled (Sloth's convention). */
const sliQuery = (needsWindow: boolean) =>
  z
    .string()
    .trim()
    .min(1, 'needs a PromQL query')
    .max(4000)
    .superRefine((query, ctx) => {
      if (needsWindow && !query.includes(WINDOW_PLACEHOLDER)) {
        ctx.addIssue({ code: 'custom', message: `write the range as [${WINDOW_PLACEHOLDER}] so Firebreak can evaluate every window, e.g. sum(rate(http_requests_total{code=~"5.."}[${WINDOW_PLACEHOLDER}]))` })
        return
      }
      const check = checkPromql(query.replaceAll(WINDOW_PLACEHOLDER, '5m'))
      if (!check.ok) ctx.addIssue({ code: 'custom', message: `is not valid PromQL: ${check.error}` })
    })

export const sliSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('ratio'),
      goodQuery: sliQuery(true).optional(),
      badQuery: sliQuery(true).optional(),
      totalQuery: sliQuery(true),
    })
    .refine((s) => s.goodQuery || s.badQuery, { message: 'a ratio SLI needs a good or a bad query next to the total', path: ['badQuery'] }),
  z.object({
    kind: z.literal('threshold'),
    query: sliQuery(false),
    op: z.enum(['lt', 'lte', 'gt', 'gte']),
    value: z.number().finite(),
  }),
])

export const sloNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and dashes, like llm-gateway-availability')

export const sloInputSchema = z.object({
  name: sloNameSchema,
  displayName: z.string().trim().min(1, 'needs a name people recognise').max(120),
  service: z.string().trim().min(1, 'needs the pipeline or service it measures').max(80),
  description: z.string().trim().max(2000).optional().transform((v) => v || undefined),
  objective: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (99.9 % is 0.999)'),
  periodDays: z.number().int().min(1).max(90),
  sli: sliSchema,
  alerting: z.enum(ALERTING_PRESETS).default('sre-workbook'),
  minEvents: z.number().int().min(0).max(1_000_000).default(0),
})
export type SloInput = z.infer<typeof sloInputSchema>

export const sloUpdateSchema = sloInputSchema.omit({ name: true }).extend({ version: z.number().int().min(1) })
export type SloUpdate = z.infer<typeof sloUpdateSchema>

export const sloImportSchema = z.object({ yaml: z.string().min(1, 'paste or upload an OpenSLO file').max(1_000_000) })

export const CHART_RANGES = { '6h': 6 * 3600, '24h': 24 * 3600, '7d': 7 * 86400, '30d': 30 * 86400 } as const
export type ChartRange = keyof typeof CHART_RANGES
export const chartQuerySchema = z.object({
  range: z.enum(Object.keys(CHART_RANGES) as [ChartRange, ...ChartRange[]]).default('7d'),
  /** end of the range (default now), for linking to an incident's moment */
  end: z.coerce.date().optional(),
})
