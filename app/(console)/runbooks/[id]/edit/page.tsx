import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { RunbookEditor } from '@/components/runbooks/runbook-editor'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { getRunbook } from '@/lib/runbooks'
import { runbookIdSchema } from '@/lib/runbooks/params'

export const metadata: Metadata = { title: 'Edit runbook' }

export default async function EditRunbookPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor()
  if (!can(actor.role, 'runbook:write')) notFound()
  const id = runbookIdSchema.safeParse((await params).id)
  if (!id.success) notFound()
  const context = await getRequestContext()
  // edit on top of the newest revision, whatever its status, so no one's work is skipped
  const head = await orNotFound(() => getRunbook(context, id.data))
  const loaded = head.runbook.headRevision === head.revision.number ? head : await getRunbook(context, id.data, head.runbook.headRevision)
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Edit: {loaded.runbook.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            Every save is a draft revision. Submit it for review; another editor publishes it. PromQL blocks are checked when you save.
          </p>
        </div>
      </div>
      <RunbookEditor id={loaded.runbook.id} initialContent={loaded.revision.content} baseRevision={loaded.runbook.headRevision} />
    </>
  )
}
