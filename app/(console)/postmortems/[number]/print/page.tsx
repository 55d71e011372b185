import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { FactsView } from '@/components/postmortems/facts-view'
import { PostmortemDocument } from '@/components/postmortems/postmortem-document'
import { PrintButton } from '@/components/postmortems/print-button'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { ACTION_STATUS_LABELS, PRIORITY_LABELS } from '@/lib/postmortems/action-items'
import { STATUS_LABELS } from '@/lib/postmortems/lifecycle'
import { utc } from '@/lib/postmortems/markdown'
import { orNotFound } from '@/lib/pages/or-not-found'
import { getPostmortem } from '@/lib/postmortems'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'
import { actionItemRef, postmortemRef } from '@/lib/postmortems/views'

type Props = { params: Promise<{ number: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const number = postmortemNumberSchema.safeParse((await params).number)
  return { title: number.success ? `PM-${number.data} (print)` : 'Postmortem' }
}

/**
 * The postmortem as a clean document for paper or PDF: rendered on the server, no navigation, print CSS. Written
 * sections go through the same sanitised markdown renderer as everywhere else, under the page's nonce CSP.
 */
export default async function PostmortemPrintPage({ params }: Props) {
  await requirePageActor()
  const number = postmortemNumberSchema.safeParse((await params).number)
  if (!number.success) notFound()
  const pm = await orNotFound(async () => getPostmortem(await getRequestContext(), number.data))
  return (
    <article className="pm-print" data-testid="print-view">
      <div className="pm-print-bar">
        <PrintButton />
        <Link href={`/postmortems/${pm.number}`}>Back to {postmortemRef(pm.number)}</Link>
      </div>
      <p className="muted small" style={{ margin: 0 }}>{postmortemRef(pm.number)} · {STATUS_LABELS[pm.status]}{pm.publishedAt ? ` ${utc(pm.publishedAt)}` : ''} · version {pm.version}</p>
      <h1>{pm.title}</h1>
      <p>
        Blameless postmortem of <Link href={`/incidents/${pm.incident.number}`}>INC-{pm.incident.number}</Link> ({pm.incident.severity}) {pm.incident.title}. Started by {pm.createdByName}.
      </p>
      <h2>Facts</h2>
      <FactsView facts={pm.facts} />
      <PostmortemDocument content={pm.content} />
      <h2>Traced cases</h2>
      {pm.cases.length === 0 ? <p className="pm-not-written">No traced case is cited.</p> : (
        <ul>
          {pm.cases.map((c) => <li key={c.number}><Link href={`/cases/${c.number}`}>CASE-{c.number}</Link> {c.title} ({c.categoryTitle})</li>)}
        </ul>
      )}
      <h2>Action items</h2>
      {pm.actionItems.length === 0 ? <p className="pm-not-written">None.</p> : (
        <table className="compact">
          <thead><tr><th scope="col">Item</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Priority</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {pm.actionItems.map((a) => (
              <tr key={a.id}>
                <td>{actionItemRef(a.number)} {a.title}</td>
                <td>{a.ownerName ?? 'unassigned'}</td>
                <td>{a.dueDate ?? '—'}{a.isOverdue ? ' (overdue)' : ''}</td>
                <td>{PRIORITY_LABELS[a.priority]}</td>
                <td>{ACTION_STATUS_LABELS[a.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  )
}
