import { z } from 'zod'
import { apiRoute } from '@/lib/api/route'
import { revokeToken } from '@/lib/tokens'

export const DELETE = apiRoute<{ id: string }>(async (_request, { context, params }) => ({
  token: await revokeToken(context, z.string().min(1).max(64).parse(params.id)),
}))
