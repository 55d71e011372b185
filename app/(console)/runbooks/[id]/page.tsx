import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import type { PanelRange } from '@/components/runbooks/promql-block'
import { RunbookView } from '@/components/runbooks/runbook-view'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { getChecklist, getRunbook } from '@/lib/runbooks'
import { revisionNumberSchema, runbookIdSchema } from '@/lib/runbooks/params'
import { extractChecklist, extractToc } from '@/lib/runbooks/parse'

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Runbook ${(await params).id}` }
}

export default async function RunbookPage({ params, searchParams }: Props) {
  const actor = await requirePageActor()
  const id = runbookIdSchema.safeParse((await params).id)
  if (!id.success) notFound()
  const query = await searchParams
  const revisionParam = revisionNumberSchema.safeParse(query.revision)
  const incidentParam = revisionNumberSchema.safeParse(query.incident)
  const context = await getRequestContext()
  const { runbook, revision, body, frontMatter } = await orNotFound(() => getRunbook(context, id.data, revisionParam.success ? revisionParam.data : undefined))
  const checklist = incidentParam.success ? await orNotFound(() => getChecklist(context, id.data, incidentParam.data)) : null
  const range: PanelRange = checklist
    ? {
        start: new Date(checklist.incident.startedAt.getTime() - 30 * 60_000).toISOString(),
        end: checklist.incident.resolvedAt?.toISOString(),
        label: `INC-${checklist.incident.number}: from 30 min before it started to ${checklist.incident.resolvedAt ? 'its resolution' : 'now'}`,
      }
    : { durationMs: 3 * 3_600_000, label: 'the last 3 hours' }
  const isPublished = revision.number === runbook.publishedRevision
  return (
    <div className="runbook-page">
      <aside className="toc" aria-label="Contents">
        <div className="nav-section" style={{ color: 'var(--muted)' }}>Contents</div>
        <ol>
          {extractToc(body).map((entry) => (
            <li key={entry.slug} className={`toc-${entry.depth}`}>
              <a href={`#user-content-${entry.slug}`}>{entry.text}</a>
            </li>
          ))}
        </ol>
      </aside>
      <article className="runbook">
        <header className="panel runbook-head">
          <div className="muted small mono">{runbook.id}</div>
          <h1>{frontMatter?.title ?? runbook.title}</h1>
          <div className="room-badges">
            <span className="chip">state: {runbook.errorState}</span>
            <span className="chip">pathway: {runbook.pathway}</span>
            <span className="chip">owners: {runbook.owners.join(', ')}</span>
            {frontMatter ? <span className="chip">last reviewed {frontMatter.lastReviewed}</span> : null}
            <span className={`badge ${isPublished ? 'ok' : 'warn'}`} data-testid="revision-status">
              revision {revision.number}: {revision.status.replace('_', ' ')}
            </span>
          </div>
          {!isPublished ? (
            <div className="alert error" role="status">
              You are reading revision {revision.number} ({revision.status.replace('_', ' ')}).{' '}
              {runbook.publishedRevision ? <Link href={`/runbooks/${runbook.id}`}>Read the published revision {runbook.publishedRevision}</Link> : 'Nothing is published yet.'}
            </div>
          ) : null}
          <details>
            <summary>Signals that point here</summary>
            <ul>{runbook.signals.map((s) => <li key={s}>{s}</li>)}</ul>
          </details>
          <div className="room-actions">
            {can(actor.role, 'runbook:write') ? <Link className="button primary" href={`/runbooks/${runbook.id}/edit`}>Edit</Link> : null}
            <Link className="button" href={`/runbooks/${runbook.id}/history`}>History and review</Link>
            <a className="button" href={`/api/runbooks/${runbook.id}/export?revision=${revision.number}`}>Export markdown</a>
            {checklist ? <Link className="button" href={`/incidents/${checklist.incident.number}`}>Back to INC-{checklist.incident.number}</Link> : null}
          </div>
        </header>
        <section className="panel">
          <RunbookView
            id={runbook.id}
            body={body}
            steps={extractChecklist(body).map(({ key, plain }) => ({ key, plain }))}
            range={range}
            incident={checklist ? { number: checklist.incident.number, initialTicks: checklist.ticks, canTick: can(actor.role, 'incident:write') } : undefined}
          />
        </section>
      </article>
    </div>
  )
}
