import { apiRoute, readQuery } from '@/lib/api/route'
import { getEnv } from '@/lib/env'
import { reviewMarkdown } from '@/lib/review/markdown'
import { reviewQuerySchema } from '@/lib/review/schemas'
import { loadWeeklyReview } from '@/lib/review/service'

/** The weekly review as a markdown file, with absolute links (NEXTAUTH_URL, else the request's origin). */
export const GET = apiRoute(async (request, { context }) => {
  const review = await loadWeeklyReview(context, readQuery(request, reviewQuerySchema))
  const baseUrl = (getEnv().nextAuthUrl ?? request.nextUrl.origin).replace(/\/+$/, '')
  const name = `firebreak-review-${review.period.week ?? `${review.period.start.slice(0, 10)}-to-${review.period.end.slice(0, 10)}`}.md`
  return new Response(reviewMarkdown(review, baseUrl), {
    headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  })
})
