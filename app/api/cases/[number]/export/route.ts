import { apiRoute } from '@/lib/api/route'
import { exportCase } from '@/lib/cases'
import { caseNumberSchema } from '@/lib/cases/schemas'

/** The case as a firebreak.case/v1 document, downloaded as a file (a regression fixture). */
export const GET = apiRoute<{ number: string }>(async (_request, { context, params }) => {
  const { fileName, document } = await exportCase(context, caseNumberSchema.parse(params.number))
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
  })
})
