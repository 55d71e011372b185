import { z } from 'zod'
import { ROLES } from '@/lib/auth/permissions'

export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` })

export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(200, 'must be at most 200 characters')

export const createUserSchema = z.object({
  email: z.email('must be an email address').trim().toLowerCase(),
  name: z.string().trim().min(1, 'is required').max(120),
  role: roleSchema,
  /** left empty, a one-time password is generated and shown once */
  password: z.union([passwordSchema, z.literal('')]).optional(),
})
export type CreateUserInput = z.infer<typeof createUserSchema>

export const updateUserSchema = z
  .object({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(120).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change: send role, disabled or name')
export type UpdateUserInput = z.infer<typeof updateUserSchema>

export const credentialsSchema = z.object({
  email: z.email().trim().toLowerCase(),
  password: z.string().min(1).max(200),
})
