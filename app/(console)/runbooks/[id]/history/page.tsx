import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { DiffView } from '@/components/runbooks/diff-view'
import { RevisionActions } from '@/components/runbooks/revision-actions'
import { Time } from '@/components/ui/time'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { diffRevisions, getRunbook, listRevisions } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'

export const metadata: Metadata = { title: 'Runbook history' }

export default async function HistoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePageActor()
  const id = runbookIdSchema.safeParse((await params).id)
  if (!id.success) notFound()
  const context = await getRequestContext()
  const { runbook } = await orNotFound(() => getRunbook(context, id.data))
  const revisions = await listRevisions(context, id.data)
  const query = await searchParams
  const newest = revisions[0]?.number ?? 1
  const from = revisionNumberSchema.safeParse(query.from).data ?? runbook.publishedRevision ?? newest
  const to = revisionNumberSchema.safeParse(query.to).data ?? newest
  const diff = from !== to ? await diffRevisions(context, id.data, Math.min(from, to), Math.max(from, to)).catch(() => null) : null
  return (
    <>
      <div className="page-head">
        <div>
          <h1>History: {runbook.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            Published: {runbook.publishedRevision ? `revision ${runbook.publishedRevision}` : 'none yet'} · newest: revision {runbook.headRevision}.{' '}
            <Link href={`/runbooks/${runbook.id}`}>Back to the runbook</Link>
          </p>
        </div>
      </div>
      <table data-testid="revisions">
        <thead>
          <tr><th scope="col">Revision</th><th scope="col">Status</th><th scope="col">Message</th><th scope="col">Author</th><th scope="col">Reviewed</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.id} data-testid={`revision-${r.number}`}>
              <td><Link href={`/runbooks/${runbook.id}?revision=${r.number}`}>r{r.number}</Link>{r.basedOn ? <div className="muted small">on r{r.basedOn}</div> : null}</td>
              <td><span className={`badge ${r.status === 'published' ? 'ok' : r.status === 'in_review' ? 'warn' : ''}`}>{r.status.replace('_', ' ')}</span><div className="muted small">{r.source}</div></td>
              <td>{r.message}</td>
              <td>{r.authorName}<div className="muted small"><Time iso={r.createdAt.toISOString()} /></div></td>
              <td>{r.reviewedByName ? <>{r.reviewedByName}<div className="muted small">{r.reviewedAt ? <Time iso={r.reviewedAt.toISOString()} /> : null}</div></> : <span className="muted">—</span>}</td>
              <td>
                <RevisionActions
                  id={runbook.id}
                  number={r.number}
                  status={r.status}
                  isAuthor={!!r.authorId && r.authorId === actor.id}
                  canWrite={can(actor.role, 'runbook:write')}
                  canPublish={can(actor.role, 'runbook:publish')}
                  headRevision={runbook.headRevision}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Compare revisions</h2>
      <form className="form-row panel" method="get">
        <label>
          From
          <select name="from" defaultValue={String(Math.min(from, to))}>
            {revisions.map((r) => <option key={r.number} value={r.number}>r{r.number} ({r.status.replace('_', ' ')})</option>)}
          </select>
        </label>
        <label>
          To
          <select name="to" defaultValue={String(Math.max(from, to))}>
            {revisions.map((r) => <option key={r.number} value={r.number}>r{r.number} ({r.status.replace('_', ' ')})</option>)}
          </select>
        </label>
        <button type="submit">Show the difference</button>
      </form>
      {diff ? <DiffView parts={diff.parts} label={`Changes from revision ${diff.from} to ${diff.to}`} /> : <p className="muted">Pick two different revisions to compare.</p>}
    </>
  )
}
