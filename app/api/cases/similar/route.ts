import { apiRoute, readQuery } from '@/lib/api/route'
import { similarToCase, similarToTrace } from '@/lib/cases'
import { similarQuerySchema } from '@/lib/cases/schemas'

/** "Seen before": ?traceId= (optionally &category=) or ?case=; ranked matches with their score and shared features. */
export const GET = apiRoute(async (request, { context }) => {
  const query = readQuery(request, similarQuerySchema)
  if (query.case !== undefined) return similarToCase(context, query.case, { limit: query.limit })
  return similarToTrace(context, query.traceId!, { category: query.category, limit: query.limit })
})
