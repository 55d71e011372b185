/**
 * The Alertmanager webhook body (version 4), and the older and vmalert-made variants seen in the wild
 * (../shared/fixtures/alertmanager-webhook): per-alert status and fingerprint may be missing, timestamps may carry
 * nanoseconds and an offset, and endsAt "0001-01-01T00:00:00Z" means "not ended".
 */
import { z } from 'zod'

const labelSet = z.record(z.string(), z.string({ error: 'label values must be strings' }))

const timestamp = z.string({ error: 'must be an RFC 3339 timestamp string' }).refine((v) => v === '' || !Number.isNaN(Date.parse(trimFraction(v))), {
  message: 'is not an RFC 3339 timestamp',
})

export const webhookAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']).optional(),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  generatorURL: z.string().max(8_000).optional(),
  fingerprint: z.string().min(1).max(128).optional(),
})

/** Old senders wrote groupKey and version as numbers (0 meaning none). */
const stringish = z
  .union([z.string(), z.number()])
  .transform((v) => (v === 0 || v === '' ? undefined : String(v)))
  .optional()

export const alertmanagerWebhookSchema = z.object({
  version: stringish,
  receiver: z.string().max(500).default(''),
  status: z.enum(['firing', 'resolved'], { error: 'status must be "firing" or "resolved"' }),
  groupKey: stringish.pipe(z.string().max(10_000).optional()),
  truncatedAlerts: z.number().int().min(0).default(0),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(webhookAlertSchema, { error: 'alerts must be an array of alerts' }).min(1, 'alerts is empty: nothing to record'),
})
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>
export type WebhookAlert = z.infer<typeof webhookAlertSchema>

/** JavaScript dates keep milliseconds; Go writes up to nine fractional digits. */
export function trimFraction(value: string): string {
  return value.replace(/(\.\d{3})\d+/, '$1')
}
