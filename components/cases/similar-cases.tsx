'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { callApi } from '@/components/api-client'
import { findFailureClass } from '@/lib/taxonomy'
import { caseRef, type SignatureFeature, type SimilarCase, type SimilarResult } from './types'

const FEATURE_LABELS: Record<SignatureFeature, string> = { detectors: 'finding', stages: 'stage', models: 'model', services: 'service', spanNames: 'operation' }

function Match({ match }: { match: SimilarCase }) {
  const shared = (Object.keys(FEATURE_LABELS) as SignatureFeature[]).flatMap((feature) => match.shared[feature].slice(0, feature === 'spanNames' ? 3 : 6).map((value) => ({ feature, value })))
  return (
    <li className="similar-case" data-testid={`similar-case-${match.number}`}>
      <div>
        <Link href={`/cases/${match.number}`} className="incident-link">{caseRef(match.number)}</Link> {match.title}{' '}
        <span className="badge" title="Share of the signature the two traces have in common (detectors, stages and models weigh most)">{Math.round(match.score * 100)} %</span>
        {match.isSameTrace ? <span className="badge ok">pinned from this trace</span> : null}
      </div>
      <div className="small muted">{findFailureClass(match.category)?.title ?? match.category}</div>
      {shared.length ? (
        <div className="similar-shared">
          {shared.map(({ feature, value }) => (
            <span key={`${feature}:${value}`} className="chip"><span className="muted">{FEATURE_LABELS[feature]}</span> {value}</span>
          ))}
        </div>
      ) : null}
    </li>
  )
}

/**
 * "Seen before": stored cases whose trace looks like this one (same detectors, stages, models, services, operations).
 * Give a trace id (the trace page) or a case number (the case page); `category` ranks "same category" for a trace.
 */
export function SimilarCases({ traceId, caseNumber, category, limit = 8 }: { traceId?: string; caseNumber?: number; category?: string; limit?: number }) {
  const params = new URLSearchParams({ limit: String(limit) })
  if (caseNumber !== undefined) params.set('case', String(caseNumber))
  else if (traceId) params.set('traceId', traceId)
  if (category && caseNumber === undefined) params.set('category', category)
  const result = useQuery({
    queryKey: ['cases', 'similar', params.toString()],
    queryFn: () => callApi<SimilarResult>(`/api/cases/similar?${params}`),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  })
  return (
    <section className="panel similar-cases" aria-labelledby="similar-cases-heading" data-testid="similar-cases">
      <h2 id="similar-cases-heading" style={{ marginTop: 0 }}>Seen before?</h2>
      {result.isPending ? <p className="muted small" role="status">Comparing with the case library…</p> : null}
      {result.isError ? (
        <div className="alert error" role="alert">
          Could not compare with the case library: {result.error.message} <button type="button" onClick={() => result.refetch()}>Try again</button>
        </div>
      ) : null}
      {result.data ? <SimilarLists data={result.data} /> : null}
    </section>
  )
}

function SimilarLists({ data }: { data: SimilarResult }) {
  const categoryTitle = data.category ? findFailureClass(data.category)?.title ?? data.category : null
  const inCategory = new Set(data.inCategory.map((m) => m.id))
  const others = data.overall.filter((m) => !inCategory.has(m.id))
  if (data.inCategory.length === 0 && others.length === 0) {
    return <p className="muted small">No similar case among the {data.compared} compared. If this is a new failure, pin it.</p>
  }
  return (
    <>
      {categoryTitle ? (
        <>
          <h3>Same category: {categoryTitle}</h3>
          {data.inCategory.length ? <ol className="similar-list">{data.inCategory.map((m) => <Match key={m.id} match={m} />)}</ol> : <p className="muted small">None in this category.</p>}
        </>
      ) : null}
      {others.length ? (
        <>
          <h3>{categoryTitle ? 'Other categories' : 'All categories'}</h3>
          <ol className="similar-list">{others.map((m) => <Match key={m.id} match={m} />)}</ol>
        </>
      ) : null}
      <p className="muted small">{data.compared} cases compared.</p>
    </>
  )
}
