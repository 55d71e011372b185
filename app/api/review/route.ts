import { apiRoute, readQuery } from '@/lib/api/route'
import { reviewQuerySchema } from '@/lib/review/schemas'
import { loadWeeklyReview } from '@/lib/review/service'

/** The weekly SLO review for ?week=YYYY-MM-DD, ?from=&to=, or (no parameters) the last complete week. */
export const GET = apiRoute(async (request, { context }) => {
  return loadWeeklyReview(context, readQuery(request, reviewQuerySchema))
})
