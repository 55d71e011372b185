'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { callApi } from '@/components/api-client'

interface CaseRow {
  number: number
  title: string
  category: string
  categoryTitle: string
  traceId: string
}

/** The traced failure cases linked to this incident (pinned from a trace with this incident's number). */
export function IncidentCases({ number }: { number: number }) {
  const query = useQuery({
    queryKey: ['incident-cases', number],
    queryFn: () => callApi<{ cases: CaseRow[] }>(`/api/cases?incident=${number}&pageSize=50`).then((r) => r.cases),
    refetchInterval: 30_000,
  })
  if (query.isPending || (query.data && query.data.length === 0)) return null
  return (
    <section className="panel" aria-labelledby="incident-cases-heading" data-testid="incident-cases">
      <h2 id="incident-cases-heading" style={{ margin: 0, fontSize: '1rem' }}>Traced failure cases</h2>
      {query.isError ? <p className="muted small">Could not load the linked cases ({query.error.message}).</p> : null}
      <ul>
        {(query.data ?? []).map((c) => (
          <li key={c.number}>
            <Link href={`/cases/${c.number}`}>CASE-{c.number}</Link> {c.title} <span className="muted small">({c.categoryTitle})</span> ·{' '}
            <Link href={`/traces/${c.traceId}`} className="mono small">trace</Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
