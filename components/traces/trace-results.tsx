'use client'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useEffect, useMemo, useState } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import type { TraceSummary } from '@/lib/traces/model'
import { formatCount, formatDurationUs, isoFromUs, serviceColor } from './format'
import { searchApiUrl, searchHref, searchWindow, type TraceSearchQuery } from './search-query'
import { SourceErrors } from './source-errors'
import { sourceErrorsOf, type TraceSearchResponse } from './types'

type SortKey = 'start' | 'duration' | 'spans' | 'errors'
const SORTS: Record<SortKey, (a: TraceSummary, b: TraceSummary) => number> = {
  start: (a, b) => b.startUs - a.startUs,
  duration: (a, b) => b.durationUs - a.durationUs,
  spans: (a, b) => b.spanCount - a.spanCount,
  errors: (a, b) => b.errorCount - a.errorCount || b.startUs - a.startUs,
}

/** "2026-11-22 04:30:12 UTC" */
export function utcLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

function SortHeader({ id, label, sort, onSort }: { id: SortKey; label: string; sort: SortKey; onSort: (s: SortKey) => void }) {
  return (
    <th scope="col" aria-sort={sort === id ? 'descending' : undefined}>
      <button type="button" className="trace-sort" onClick={() => onSort(id)} aria-pressed={sort === id}>
        {label}
        <span aria-hidden="true">{sort === id ? ' ▾' : ''}</span>
      </button>
    </th>
  )
}

export function TraceResults({ query }: { query: TraceSearchQuery }) {
  // A preset window ends "now": fixed when the search opens in the browser (not on the server, whose clock would not
  // match the page's), moved on by Refresh.
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => setNow(Date.now()), [])
  const [sort, setSort] = useState<SortKey>('start')
  const isRelative = !(query.start && query.end)
  const url = now !== null || !isRelative ? searchApiUrl(query, now ?? 0) : null
  const result = useQuery({
    queryKey: ['trace-search', url],
    queryFn: () => callApi<TraceSearchResponse>(url!),
    enabled: url !== null,
    placeholderData: keepPreviousData,
    retry: false,
    refetchOnWindowFocus: false,
  })
  const traces = useMemo(() => [...(result.data?.traces ?? [])].sort(SORTS[sort]), [result.data, sort])
  const shown = url ? searchWindow(query, now ?? 0) : null
  const error = result.error instanceof ApiError ? result.error : result.error ? new ApiError(result.error.message, 0) : null
  const downSources = error ? sourceErrorsOf(error.details) : []

  return (
    <section aria-labelledby="trace-results-title" className="trace-results" data-testid="trace-results">
      <div className="trace-results-head">
        <h2 id="trace-results-title">Traces</h2>
        <p className="muted small" role="status" aria-live="polite">
          {result.isFetching ? 'Searching…' : result.data ? `${formatCount(result.data.traces.length)} trace${result.data.traces.length === 1 ? '' : 's'}${result.data.traces.length >= query.limit ? ` (the first ${query.limit}: narrow the search for the rest)` : ''}` : null}
          {shown ? <> from <span className="mono">{utcLabel(shown.start)}</span> to <span className="mono">{utcLabel(shown.end)}</span></> : null}
        </p>
        <span className="trace-results-actions">
          {isRelative ? (
            <>
              <button type="button" onClick={() => setNow(Date.now())} disabled={result.isFetching}>Refresh</button>
              <Link className="button" href={searchHref(shown ? { ...query, ...shown } : query)} title="A link to exactly this window, to paste into the incident channel">Link to this window</Link>
            </>
          ) : (
            <button type="button" onClick={() => result.refetch()} disabled={result.isFetching}>Search again</button>
          )}
        </span>
      </div>
      {error ? (
        <div className="alert error" role="alert" data-testid="trace-search-error">
          {error.status === 400 ? <>The search was refused: {error.message}</> : <>The trace search failed: {error.message}</>}
          <SourceErrors errors={downSources} />
          {error.status >= 500 || error.status === 0 ? <div><button type="button" onClick={() => result.refetch()}>Try again</button></div> : null}
        </div>
      ) : null}
      {result.data ? <SourceErrors errors={result.data.sourceErrors} partialResults /> : null}
      {result.isPending || url === null ? <p className="muted" role="status">Asking the trace sources…</p> : null}
      {result.data ? (
        <div className="trace-table-scroll" role="region" aria-label="Matching traces" tabIndex={-1}>
          <table className="trace-table" data-testid="trace-table">
            <thead>
              <tr>
                <th scope="col">Root service · operation</th>
                <SortHeader id="start" label="Start" sort={sort} onSort={setSort} />
                <SortHeader id="duration" label="Duration" sort={sort} onSort={setSort} />
                <SortHeader id="spans" label="Spans" sort={sort} onSort={setSort} />
                <SortHeader id="errors" label="Errors" sort={sort} onSort={setSort} />
                <th scope="col">Models</th>
              </tr>
            </thead>
            <tbody>
              {traces.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">No traces match in this window. Widen the time range or remove a filter; a trace older than the sources keep is gone unless it was pinned as a case.</td>
                </tr>
              ) : null}
              {traces.map((t) => (
                <tr key={t.traceId} className={t.errorCount ? 'trace-row-error' : undefined} data-testid={`trace-row-${t.traceId}`}>
                  <th scope="row">
                    <Link href={`/traces/${t.traceId}`} className="trace-root-link">
                      <span className="trace-swatch" style={{ background: serviceColor(t.rootService) }} aria-hidden="true" />
                      {t.rootService} <span className="muted">·</span> {t.rootName || <span className="muted">(no name)</span>}
                    </Link>
                    <div className="muted small mono">{t.traceId}</div>
                  </th>
                  <td className="mono small">{utcLabel(isoFromUs(t.startUs))}</td>
                  <td className="mono">{formatDurationUs(t.durationUs)}</td>
                  <td className="mono">{formatCount(t.spanCount)}</td>
                  <td className={`mono${t.errorCount ? ' bad-text' : ''}`}>{formatCount(t.errorCount)}</td>
                  <td>{t.models.length ? t.models.map((m) => <span key={m} className="chip mono">{m}</span>) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}
