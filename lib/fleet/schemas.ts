/** The fleet view's URL: `?at=` (a moment, for looking at an incident as it was) and `?pipeline=`, shared by the API and the page. */
import { z } from 'zod'

/** a datetime-local value has no zone: the fleet view reads it as UTC, as it shows every time */
const NO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

function utcWhenZoneless(value: unknown): unknown {
  if (value === '') return undefined
  if (typeof value !== 'string' || !NO_ZONE.test(value)) return value
  return `${value.length === 16 ? `${value}:00` : value}Z`
}

export const fleetQuerySchema = z
  .object({
    at: z
      .preprocess(utcWhenZoneless, z.iso.datetime({ offset: true, message: 'at must be an ISO time such as 2026-11-22T04:30:00Z' }).optional())
      .transform((v) => (v ? new Date(v) : undefined))
      .refine((d) => !d || d.getTime() <= Date.now() + 60_000, 'at must not be in the future'),
    pipeline: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200).regex(/^[\w.:/-]+$/, 'pipeline is a name such as rag-chat').optional()),
  })
  .strict()
export type FleetQuery = z.infer<typeof fleetQuerySchema>
