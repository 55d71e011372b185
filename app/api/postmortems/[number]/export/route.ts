import { apiRoute } from '@/lib/api/route'
import { exportPostmortem } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

/** The postmortem as a markdown file: every section, the facts, the timeline, cases and action items. */
export const GET = apiRoute<{ number: string }>(async (_request, { context, params }) => {
  const { fileName, markdown } = await exportPostmortem(context, postmortemNumberSchema.parse(params.number))
  return new Response(markdown, {
    headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
  })
})
