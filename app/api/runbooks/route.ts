import { apiRoute, readQuery } from '@/lib/api/route'
import { listRunbooks } from '@/lib/runbooks'
import { runbookFiltersSchema } from '@/lib/runbooks/schema'

export const GET = apiRoute(async (request, { context }) => ({ runbooks: await listRunbooks(context, readQuery(request, runbookFiltersSchema)) }))
