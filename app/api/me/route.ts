import { apiRoute } from '@/lib/api/route'
import { permissionsOf } from '@/lib/auth/permissions'

export const GET = apiRoute(async (_request, { context }) => {
  const actor = context.actor!
  return { user: actor, permissions: permissionsOf(actor.role) }
})
