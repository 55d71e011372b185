import { z } from 'zod'

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'must be an event id')
    .transform((v) => BigInt(v))
    .optional(),
  action: z.string().trim().max(80).optional(),
  actor: z.string().trim().max(200).optional(),
})
