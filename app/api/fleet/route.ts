import { apiRoute, readQuery } from '@/lib/api/route'
import { requirePermission } from '@/lib/auth/guard'
import { fleetQuerySchema, readFleet } from '@/lib/fleet'

/** The joined fleet view: GET /api/fleet?at=2026-11-22T04:30:00Z&pipeline=rag-chat (both optional). */
export const GET = apiRoute(async (request, { context }) => {
  requirePermission(context, 'console:read')
  return readFleet(readQuery(request, fleetQuerySchema))
})
