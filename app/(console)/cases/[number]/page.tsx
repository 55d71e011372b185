import { CasePostmortems } from '@/components/postmortems/case-postmortems'
import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { CaseActions } from '@/components/cases/case-actions'
import { CaseEditor } from '@/components/cases/case-editor'
import { CaseIncidents } from '@/components/cases/case-incidents'
import { CaseTrace } from '@/components/cases/case-trace'
import { SimilarCases } from '@/components/cases/similar-cases'
import { caseRef, type CaseDetail } from '@/components/cases/types'
import type { TraceResponse } from '@/components/traces/types'
import { toJson } from '@/components/to-json'
import { Time } from '@/components/ui/time'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { openCaseView } from '@/lib/cases'
import { canDeleteCase } from '@/lib/cases/permissions'
import { caseNumberSchema } from '@/lib/cases/schemas'
import { orNotFound } from '@/lib/pages/or-not-found'
import { isSpanId } from '@/lib/traces/model'

type Props = { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const number = caseNumberSchema.safeParse((await params).number)
  return { title: number.success ? caseRef(number.data) : 'Case' }
}

export default async function CasePage({ params, searchParams }: Props) {
  const actor = await requirePageActor()
  const number = caseNumberSchema.safeParse((await params).number)
  if (!number.success) notFound()
  const { case: detail, view } = await orNotFound(async () => openCaseView(await getRequestContext(), number.data))
  const kase = toJson<CaseDetail>(detail)
  const spanParam = (await searchParams).span
  const span = typeof spanParam === 'string' && isSpanId(spanParam.trim().toLowerCase()) ? spanParam.trim().toLowerCase() : null
  const canWrite = can(actor.role, 'case:write')
  return (
    <div className="case-page">
      <p className="muted small" style={{ margin: 0 }}><Link href="/cases">Failure cases</Link> / {caseRef(kase.number)}</p>
      <header className="panel case-head">
        <div className="case-title">
          <span className="mono muted">{caseRef(kase.number)}</span>
          <h1 data-testid="case-title">{kase.title}</h1>
          <div className="room-badges">
            <Link className="badge warn" href={`/runbooks/${encodeURIComponent(kase.category)}`} title="Open the runbook of this failure class">{kase.categoryTitle}</Link>
            {kase.pipeline ? <Link className="chip" href={`/cases?pipeline=${encodeURIComponent(kase.pipeline)}`}>pipeline {kase.pipeline}</Link> : null}
            {kase.models.map((m) => <Link key={m} className="chip mono" href={`/cases?model=${encodeURIComponent(m)}`}>{m}</Link>)}
            {kase.tags.map((t) => <Link key={t} className="chip" href={`/cases?tag=${encodeURIComponent(t)}`}>#{t}</Link>)}
          </div>
        </div>
        <dl className="kv room-facts">
          <dt>Trace</dt>
          <dd>
            <span className="mono">{kase.traceId}</span>{' '}
            <Link href={`/traces/${kase.traceId}`} className="small">open in the trace view</Link> <span className="muted small">(if the backend still has it)</span>
          </dd>
          <dt>Trace started</dt>
          <dd><Time iso={kase.traceStartedAt} /></dd>
          <dt>Spans</dt>
          <dd>{kase.spanCount.toLocaleString('en')} <span className="muted small">from {kase.source === 'import' ? 'an imported case file' : kase.source}</span></dd>
          <dt>Pinned</dt>
          <dd><Time iso={kase.createdAt} />{kase.pinnedByName ? <> by {kase.pinnedByName}</> : null}</dd>
          <dt>Last change</dt>
          <dd><Time iso={kase.updatedAt} /> <span className="muted small">(version {kase.version})</span></dd>
        </dl>
        <CaseActions number={kase.number} title={kase.title} canDelete={canDeleteCase(actor, kase.pinnedById)} />
      </header>

      <section className="panel" aria-labelledby="case-notes-heading">
        <h2 id="case-notes-heading" style={{ marginTop: 0 }}>Notes</h2>
        {kase.notes ? <div className="case-notes" data-testid="case-notes">{kase.notes}</div> : <p className="muted small">No notes yet.</p>}
      </section>

      <div className="grid two">
        <CaseIncidents number={kase.number} incidents={kase.incidents} canWrite={canWrite} />
        <SimilarCases caseNumber={kase.number} />
        <CasePostmortems caseNumber={kase.number} />
      </div>

      <CaseTrace number={kase.number} view={toJson<TraceResponse>(view)} initialSpanId={span} />

      {canWrite ? (
        <details className="case-edit">
          <summary>Edit title, category, notes and tags</summary>
          <CaseEditor initial={kase} />
        </details>
      ) : null}
    </div>
  )
}
