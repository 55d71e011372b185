import { apiRoute, readQuery } from '@/lib/api/route'
import { listActionItems } from '@/lib/postmortems'
import { listActionItemsQuerySchema } from '@/lib/postmortems/schemas'

/** Action items across all postmortems: ?status (active, all, open, in_progress, done, wont_do), owner (id, me, none), priority, overdue=1, postmortem, limit. */
export const GET = apiRoute(async (request, { context }) => listActionItems(context, readQuery(request, listActionItemsQuerySchema)))
