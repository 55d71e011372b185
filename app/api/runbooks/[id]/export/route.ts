import { z } from 'zod'
import { apiRoute, readQuery } from '@/lib/api/route'
import { exportRunbook } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'

const querySchema = z.object({ revision: revisionNumberSchema.optional() })

/** The runbook as a markdown file with its front matter, ready to commit back to runbooks/. */
export const GET = apiRoute<{ id: string }>(async (request, { context, params }) => {
  const id = runbookIdSchema.parse(params.id)
  const markdown = await exportRunbook(context, id, readQuery(request, querySchema).revision)
  return new Response(markdown, {
    headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${id}.md"` },
  })
})
