'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useId } from 'react'
import { callApi } from '@/components/api-client'
import { postmortemRef, type PostmortemSummary } from '@/lib/postmortems/views'
import { PostmortemStatusBadge } from './badges'

/** For the case page: the postmortems that cite this traced case. */
export function CasePostmortems({ caseNumber }: { caseNumber: number }) {
  const id = useId()
  const query = useQuery({
    queryKey: ['postmortems', 'case', caseNumber],
    queryFn: () => callApi<{ postmortems: PostmortemSummary[] }>(`/api/postmortems?case=${caseNumber}`).then((r) => r.postmortems),
  })
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="case-postmortems">
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Postmortems</h2>
      {query.isPending ? <p className="muted small" role="status">Loading…</p> : null}
      {query.isError ? <div className="alert error" role="alert">Could not load the postmortems: {query.error.message}</div> : null}
      {query.data?.length === 0 ? <p className="muted small" style={{ margin: 0 }}>No postmortem cites CASE-{caseNumber} yet.</p> : null}
      {query.data?.length ? (
        <ul className="case-incidents">
          {query.data.map((pm) => (
            <li key={pm.number}>
              <Link className="incident-link" href={`/postmortems/${pm.number}`}>{postmortemRef(pm.number)}</Link> {pm.title} <PostmortemStatusBadge status={pm.status} />
              <span className="muted small">of <Link href={`/incidents/${pm.incident.number}`}>INC-{pm.incident.number}</Link></span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
