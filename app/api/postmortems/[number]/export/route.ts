import { apiRoute } from '@/lib/api/route'
import { getEnv } from '@/lib/env'
import { exportPostmortem } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

/**
 * The postmortem as a markdown file: every section, the facts, the timeline, cases and action items, with absolute
 * links (NEXTAUTH_URL, else the request's origin) that work wherever the file is pasted.
 */
export const GET = apiRoute<{ number: string }>(async (request, { context, params }) => {
  const baseUrl = (getEnv().nextAuthUrl ?? request.nextUrl.origin).replace(/\/+$/, '')
  const { fileName, markdown } = await exportPostmortem(context, postmortemNumberSchema.parse(params.number), { baseUrl })
  return new Response(markdown, {
    headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
  })
})
