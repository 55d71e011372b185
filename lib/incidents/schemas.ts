import { z } from 'zod'
import { SEVERITIES } from '@/lib/alerts/mapping'

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

export const incidentNumberSchema = z.coerce.number({ error: 'must be an incident number' }).int().min(1).max(2_147_483_647)

export const listIncidentsQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
})

const modelList = z
  .union([z.array(z.string().trim().min(1).max(120)).max(20), z.string().max(2000)])
  .transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter(Boolean)))

export const declareIncidentSchema = z.object({
  title: z.string().trim().min(3, 'needs at least 3 characters').max(200),
  severity: z.enum(SEVERITIES),
  pipeline: z.string().trim().max(120).optional().transform((v) => v || undefined),
  models: modelList.optional(),
  summary: z.string().trim().max(5000).optional(),
})
export type DeclareIncidentInput = z.infer<typeof declareIncidentSchema>

export const updateIncidentSchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    /** a user id, "me", or null to clear */
    commanderId: z.string().min(1).max(64).nullable().optional(),
    scribeId: z.string().min(1).max(64).nullable().optional(),
    title: z.string().trim().min(3).max(200).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change: send status, severity, commanderId, scribeId or title')
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>

export const timelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('note'), body: z.string().trim().min(1, 'is empty').max(10_000) }),
  z.object({
    kind: z.literal('link'),
    body: z.string().trim().min(1, 'needs a title').max(300),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(4000),
  }),
])
export type TimelineEntryInput = z.infer<typeof timelineEntrySchema>

export const alertsQuerySchema = z.object({
  alertname: z.string().max(300).optional(),
  status: z.enum(['firing', 'resolved', 'all']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})
