'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { PinCaseButton } from '@/components/cases/pin-case-button'
import { SimilarCases } from '@/components/cases/similar-cases'
import { formatCount } from './format'
import { FindingsList } from './findings-list'
import { SourceErrors } from './source-errors'
import { TraceHeader, traceFacts } from './trace-header'
import { buildSpanTree, COLLAPSE_THRESHOLD, expandAll, initialState, type SpanTree } from './tree'
import { useWaterfall } from './use-waterfall'
import { sourceErrorsOf, type TraceResponse } from './types'
import { WaterfallWithDetail } from './waterfall-with-detail'

/** User Timing marks for the waterfall benchmark (scripts/bench/waterfall.ts): where a big trace's load time goes. */
function mark(name: string) {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name)
}

/** Keeps ?span= in the address bar in step with the open span, without a server round trip, so the link can be pasted. */
function writeSpanToUrl(spanId: string | null) {
  const url = new URL(window.location.href)
  if (spanId) url.searchParams.set('span', spanId)
  else url.searchParams.delete('span')
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url)
}

/** Traces bigger than this compare with the case library when asked: the comparison reads the whole trace again. */
const SIMILAR_ON_DEMAND_SPANS = 10_000

function SeenBefore({ traceId, spanCount, category }: { traceId: string; spanCount: number; category: string | undefined }) {
  const [isAsked, setAsked] = useState(spanCount <= SIMILAR_ON_DEMAND_SPANS)
  if (isAsked) return <SimilarCases traceId={traceId} category={category} limit={5} />
  return (
    <section className="panel similar-cases" aria-labelledby="trace-seen-before">
      <h2 id="trace-seen-before" style={{ marginTop: 0 }}>Seen before?</h2>
      <p className="muted small">Comparing a trace of {formatCount(spanCount)} spans with the case library takes a few seconds of the server’s time.</p>
      <button type="button" onClick={() => setAsked(true)}>Compare with the case library</button>
    </section>
  )
}

function TraceLoaded({ data, initialSpanId, canPin }: { data: TraceResponse; initialSpanId: string | null; canPin: boolean }) {
  const tree = useMemo<SpanTree>(() => {
    const built = buildSpanTree(data.spans)
    mark('firebreak:trace-tree')
    return built
  }, [data.spans])
  const facts = useMemo(() => traceFacts(tree), [tree])
  const linked = initialSpanId ? tree.indexOf(initialSpanId) : -1
  // Only a linked span opens its way on the first view. Findings do not: in a big trace they can sit in every
  // subtree and would open them all; a collapsed row counts the errors inside, and a finding's link opens its span.
  const waterfall = useWaterfall(tree, {
    linked,
    reveal: linked === -1 ? [] : [linked],
  })
  const { state, setState, openIndex, activeIndex, errors, allShown, goTo: reveal } = waterfall
  // the worst finding's failure class: what "Pin as case" and "Seen before?" start from
  const suggestedCategory = (data.findings.find((f) => f.severity === 'critical') ?? data.findings[0])?.failureClass

  useEffect(() => {
    writeSpanToUrl(openIndex === -1 ? null : tree.spans[openIndex].spanId)
  }, [openIndex, tree])

  /** Shows a span wherever it is: opens its ancestors, scrolls to it, opens its detail, and keeps the keyboard there. */
  const goTo = useCallback(
    (index: number) => {
      if (index === -1) return
      reveal(index)
      document.querySelector<HTMLElement>('[data-testid="waterfall"]')?.focus({ preventScroll: true })
    },
    [reveal],
  )
  const nextError = (direction: 1 | -1) => {
    if (errors.length === 0) return
    const after = direction === 1 ? errors.find((i) => i > activeIndex) ?? errors[0] : [...errors].reverse().find((i) => i < activeIndex) ?? errors[errors.length - 1]
    goTo(after)
  }

  return (
    <div className="trace-page" data-testid="trace-view">
      <TraceHeader data={data} facts={facts} actions={canPin ? <PinCaseButton traceId={data.traceId} suggestedCategory={suggestedCategory} /> : null} />
      {data.partial ? (
        <div className="alert warn-note trace-partial" role="status" data-testid="trace-partial">
          <strong>This trace is incomplete:</strong> {data.partial.reason.replace(/[.\s]+$/, '')}.{' '}
          {tree.orphanCount ? <>{formatCount(tree.orphanCount)} span{tree.orphanCount === 1 ? ' whose parent is' : 's whose parents are'} missing {tree.orphanCount === 1 ? 'is' : 'are'} shown at the top level, marked “parent missing”. </> : null}
          What is shown can still be trusted; what is missing may hold the cause.
        </div>
      ) : null}
      <SourceErrors errors={data.sourceErrors} partialResults />
      <div className="trace-triage">
        <FindingsList findings={data.findings} tree={tree} onOpenSpan={(id) => goTo(tree.indexOf(id))} />
        <SeenBefore traceId={data.traceId} spanCount={data.spanCount} category={suggestedCategory} />
      </div>
      {initialSpanId && linked === -1 ? (
        <p className="alert warn-note" role="status">The linked span <span className="mono">{initialSpanId}</span> is not in this trace (it may not have arrived yet, or the link is from another trace).</p>
      ) : null}

      <div className="trace-toolbar" role="toolbar" aria-label="Waterfall">
        <h2>Waterfall</h2>
        <span className="muted small" aria-live="polite">
          {formatCount(state.rows.length)} of {formatCount(tree.spans.length)} spans shown
          {tree.spans.length > COLLAPSE_THRESHOLD && !allShown ? ` · subtrees over ${COLLAPSE_THRESHOLD} spans start collapsed` : ''}
        </span>
        <button type="button" onClick={() => setState(expandAll(tree))} disabled={allShown}>Expand all</button>
        <button type="button" onClick={() => setState(initialState(tree))}>Collapse big subtrees</button>
        {errors.length ? (
          <>
            <button type="button" onClick={() => nextError(-1)} aria-label="Previous error span">◂ Error</button>
            <button type="button" onClick={() => nextError(1)} aria-label="Next error span">Error ▸</button>
            <span className="bad-text small">{formatCount(errors.length)} error span{errors.length === 1 ? '' : 's'}</span>
          </>
        ) : null}
        <span className="muted small trace-keys">↑ ↓ move · → ← open and close · Enter details · Esc close</span>
      </div>
      {tree.spans.length === 0 ? (
        <p className="muted">The source returned this trace without any spans.</p>
      ) : (
        <WaterfallWithDetail traceId={data.traceId} tree={tree} waterfall={waterfall} />
      )}
    </div>
  )
}

function searchedOf(details: unknown): string[] {
  const searched = details && typeof details === 'object' ? (details as { searched?: unknown }).searched : undefined
  return Array.isArray(searched) ? searched.map(String) : []
}

function TraceProblem({ traceId, error, onRetry }: { traceId: string; error: ApiError; onRetry: () => void }) {
  const sources = sourceErrorsOf(error.details)
  if (error.code === 'not_found' || error.status === 404) {
    return (
      <div className="panel" role="alert" data-testid="trace-not-found">
        <h1>Trace not found</h1>
        <p>
          No trace source has <span className="mono">{traceId}</span>. It may be older than the sources keep traces (pin a trace as a failure case to keep
          it), it may not have been sampled, or its spans may still be on their way: try again in a minute.
        </p>
        <p className="muted small">{error.message}</p>
        {searchedOf(error.details).length ? <p className="small">Sources asked: {searchedOf(error.details).join(', ')}.</p> : null}
        <SourceErrors errors={sources} />
        <p>
          <button type="button" onClick={onRetry}>Try again</button> <Link href="/traces">Search traces</Link>
        </p>
      </div>
    )
  }
  return (
    <div className="alert error" role="alert" data-testid="trace-error">
      {error.status === 400 ? <>This is not a trace id Firebreak can look up: {error.message}</> : <>The trace could not be loaded: {error.message}</>}
      <SourceErrors errors={sources} />
      <p>
        {error.status !== 400 ? <button type="button" onClick={onRetry}>Try again</button> : null} <Link href="/traces">Search traces</Link>
      </p>
    </div>
  )
}

/**
 * One trace: header, findings, waterfall and the open span. The trace loads in the browser: a slow trace backend must
 * not hold the page, and a 100,000-span trace parses faster as one JSON response than inside the page's HTML.
 */
export function TraceView({ traceId, initialSpanId, canPin }: { traceId: string; initialSpanId: string | null; canPin: boolean }) {
  const result = useQuery({
    queryKey: ['trace', traceId],
    queryFn: async () => {
      const trace = await callApi<TraceResponse>(`/api/traces/${traceId}`)
      mark('firebreak:trace-parsed')
      return trace
    },
    // a trace does not change under a reader's eyes; reloading 100,000 spans on every focus would
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    structuralSharing: false,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
  })
  if (result.isPending) {
    return (
      <p className="muted" role="status" data-testid="trace-loading">
        Loading trace <span className="mono">{traceId}</span> from the trace sources…
      </p>
    )
  }
  if (result.isError) {
    const error = result.error instanceof ApiError ? result.error : new ApiError(result.error.message, 0)
    return <TraceProblem traceId={traceId} error={error} onRetry={() => result.refetch()} />
  }
  return <TraceLoaded key={result.dataUpdatedAt} data={result.data} initialSpanId={initialSpanId} canPin={canPin} />
}
