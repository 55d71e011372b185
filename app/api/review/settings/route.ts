import { apiRoute, readJson } from '@/lib/api/route'
import { reviewSettingsSchema } from '@/lib/review/schemas'
import { readReviewSettings, setWeekStart } from '@/lib/review/service'

/** The team's first day of the week, which the review's periods align to. */
export const GET = apiRoute(async (_request, { context }) => {
  return readReviewSettings(context)
})

export const PUT = apiRoute(async (request, { context }) => {
  const input = await readJson(request, reviewSettingsSchema)
  return { weekStart: await setWeekStart(context, input.weekStart) }
})
