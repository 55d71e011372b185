import type { Metadata } from 'next'
import { ReviewQueryProblem } from '@/components/review/query-problem'
import { ReviewView } from '@/components/review/review-view'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { reviewQueryFrom, reviewQuerySchema } from '@/lib/review/schemas'
import { loadWeeklyReview } from '@/lib/review/service'
import type { WeeklyReview } from '@/lib/review/types'

export const metadata: Metadata = { title: 'Weekly SLO review' }

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> }

export default async function ReviewPage({ searchParams }: Props) {
  const actor = await requirePageActor()
  const query = reviewQuerySchema.safeParse(reviewQueryFrom(await searchParams))
  if (!query.success) return <ReviewQueryProblem error={query.error} />
  const review = await loadWeeklyReview(await getRequestContext(), query.data)
  return <ReviewView initial={toJson<WeeklyReview>(review)} canConfigure={can(actor.role, 'slo:write')} />
}
