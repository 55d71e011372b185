import type { Metadata } from 'next'
import { ReviewPrint } from '@/components/review/review-print'
import { ReviewQueryProblem } from '@/components/review/query-problem'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { reviewQueryFrom, reviewQuerySchema } from '@/lib/review/schemas'
import { loadWeeklyReview } from '@/lib/review/service'

export const metadata: Metadata = { title: 'Weekly SLO review (print)' }

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> }

/** The review laid out for paper or PDF: no controls, no interactive charts, the navigation hidden when printed. */
export default async function ReviewPrintPage({ searchParams }: Props) {
  await requirePageActor()
  const query = reviewQuerySchema.safeParse(reviewQueryFrom(await searchParams))
  if (!query.success) return <ReviewQueryProblem error={query.error} />
  return <ReviewPrint review={await loadWeeklyReview(await getRequestContext(), query.data)} />
}
