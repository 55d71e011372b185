import type { Metadata } from 'next'
import Link from 'next/link'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { listOwners, listRunbooks } from '@/lib/runbooks'
import { runbookFiltersSchema } from '@/lib/runbooks/schema'
import { ERROR_STATE_LABELS, ERROR_STATES, FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'

export const metadata: Metadata = { title: 'Runbooks' }

export default async function RunbooksPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageActor()
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => v))
  const parsed = runbookFiltersSchema.safeParse(raw)
  const filters = parsed.success ? parsed.data : {}
  const context = await getRequestContext()
  const [runbooks, owners] = await Promise.all([listRunbooks(context, filters), listOwners(context)])
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runbooks</h1>
          <p className="muted" style={{ margin: 0 }}>One per failure class, plus triage for when the class is still unknown. Written and reviewed by domain experts.</p>
        </div>
      </div>
      <form className="panel form-row" method="get" role="search" style={{ marginBottom: '1rem' }}>
        <label style={{ flex: '2 1 220px' }}>
          Search
          <input name="q" defaultValue={filters.q ?? ''} placeholder="KV cache, max_model_len, dead letters…" />
        </label>
        <label>
          Failure class
          <select name="failureClass" defaultValue={filters.failureClass ?? ''}>
            <option value="">any</option>
            {FAILURE_CLASSES.map((c) => <option key={c.id} value={c.id}>{c.id}</option>)}
          </select>
        </label>
        <label>
          Error state
          <select name="errorState" defaultValue={filters.errorState ?? ''}>
            <option value="">any</option>
            {ERROR_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Pathway
          <select name="pathway" defaultValue={filters.pathway ?? ''}>
            <option value="">any</option>
            {PATHWAYS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>
          Owner
          <select name="owner" defaultValue={filters.owner ?? ''}>
            <option value="">any</option>
            {owners.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <button type="submit">Filter</button>
        <Link className="button" href="/runbooks">Clear</Link>
      </form>
      <table data-testid="runbook-list">
        <thead>
          <tr><th scope="col">Runbook</th><th scope="col">Error state</th><th scope="col">Pathway</th><th scope="col">Owners</th><th scope="col">Revision</th></tr>
        </thead>
        <tbody>
          {runbooks.length === 0 ? <tr><td colSpan={5} className="muted">No runbook matches.</td></tr> : null}
          {runbooks.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/runbooks/${r.id}`} className="incident-link">{r.title}</Link>
                <div className="muted small mono">{r.id}</div>
              </td>
              <td title={ERROR_STATE_LABELS[r.errorState as keyof typeof ERROR_STATE_LABELS]}>{r.errorState}</td>
              <td>{r.pathway}</td>
              <td>{r.owners.join(', ')}</td>
              <td>
                {r.publishedRevision ? `r${r.publishedRevision}` : <span className="muted">unpublished</span>}
                {r.inReview > 0 ? <div><span className="badge warn">{r.inReview} in review</span></div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
