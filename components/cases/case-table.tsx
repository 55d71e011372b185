import Link from 'next/link'
import { Time } from '@/components/ui/time'
import { caseRef, type CaseList } from './types'

/** One page of cases; `hrefFor` builds the link of another page with the same filters. */
export function CaseTable({ list, hrefFor, isFiltered }: { list: CaseList; hrefFor: (page: number) => string; isFiltered: boolean }) {
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize))
  const first = list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1
  const last = Math.min(list.total, list.page * list.pageSize)
  return (
    <>
      <p className="muted small" aria-live="polite">
        {list.total === 0 ? 'No cases' : `${first}–${last} of ${list.total} case${list.total === 1 ? '' : 's'}`}, newest trace first.
      </p>
      <table className="case-table" data-testid="case-list">
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Title</th>
            <th scope="col">Category</th>
            <th scope="col">Pipeline</th>
            <th scope="col">Models</th>
            <th scope="col">Trace time</th>
            <th scope="col">Incidents</th>
          </tr>
        </thead>
        <tbody>
          {list.cases.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                {isFiltered ? 'No case matches these filters.' : 'No cases yet. Open a trace and use “Pin as case” to keep it, or import a case file.'}
              </td>
            </tr>
          ) : null}
          {list.cases.map((c) => (
            <tr key={c.id} data-testid={`case-row-${c.number}`}>
              <td className="mono"><Link href={`/cases/${c.number}`} className="incident-link">{caseRef(c.number)}</Link></td>
              <td>
                <Link href={`/cases/${c.number}`}>{c.title}</Link>
                {c.tags.length ? <div>{c.tags.map((t) => <Link key={t} className="chip" href={`/cases?tag=${encodeURIComponent(t)}`}>{t}</Link>)}</div> : null}
              </td>
              <td className="small"><Link href={`/cases?category=${c.category}`} title={c.category}>{c.categoryTitle}</Link></td>
              <td>{c.pipeline ?? <span className="muted">—</span>}</td>
              <td>{c.models.length ? c.models.map((m) => <span key={m} className="chip mono">{m}</span>) : <span className="muted">—</span>}</td>
              <td className="small"><Time iso={c.traceStartedAt} /></td>
              <td>
                {c.incidents.length
                  ? c.incidents.map((i) => <Link key={i.number} className="chip" href={`/incidents/${i.number}`} title={i.title}>INC-{i.number}</Link>)
                  : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          {list.page > 1 ? <Link href={hrefFor(list.page - 1)} rel="prev">← Newer</Link> : null}
          <span className="muted">page {list.page} of {pages}</span>
          {list.page < pages ? <Link href={hrefFor(list.page + 1)} rel="next">Older →</Link> : null}
        </nav>
      ) : null}
    </>
  )
}
