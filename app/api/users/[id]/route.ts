import { z } from 'zod'
import { apiRoute, readJson } from '@/lib/api/route'
import { updateUser } from '@/lib/users'
import { updateUserSchema } from '@/lib/users/schemas'

const paramsSchema = z.object({ id: z.string().min(1).max(64) })

export const PATCH = apiRoute<{ id: string }>(async (request, { context, params }) => {
  const { id } = paramsSchema.parse(params)
  const input = await readJson(request, updateUserSchema)
  return { user: await updateUser(context, id, input) }
})
