'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { ApiError, callApi } from '@/components/api-client'
import type { TraceSpan } from '@/lib/traces/model'
import { AttributeChips, AttributeTable } from './attributes'
import { CopyButton } from './copy-button'
import { formatCount, formatDurationUs, formatOffsetUs, serviceColor } from './format'
import { ModelCallView } from './model-call-view'
import { descendantCount, type SpanTree } from './tree'
import type { SpanDetailResponse } from './types'

const HEX = /^[0-9a-f]+$/

function Events({ span }: { span: TraceSpan }) {
  if (span.events.length === 0) return <p className="muted small">No events.</p>
  return (
    <ol className="trace-events">
      {span.events.map((event, k) => {
        const isException = event.name === 'exception'
        return (
          <li key={k} className={isException ? 'exception' : undefined}>
            <span className="mono small muted">{formatOffsetUs(event.timeUs - span.startUs)}</span> <strong>{event.name}</strong>
            {isException && typeof event.attributes['exception.message'] === 'string' ? <div className="bad-text">{String(event.attributes['exception.type'] ?? 'Exception')}: {event.attributes['exception.message'] as string}</div> : null}
            <AttributeChips attributes={event.attributes} />
          </li>
        )
      })}
    </ol>
  )
}

/**
 * The open span: what the waterfall row knows at once, then everything else from the spans endpoint (loaded only
 * when a row is opened: attributes, events and model-call payloads can be large).
 */
/**
 * The open span. Its details come from the trace backends by default; a case page passes `detailsFrom` so they come
 * from the case's own snapshot (the backend may long have dropped the trace).
 */
export function SpanDetail({ traceId, tree, index, onClose, detailsFrom }: { traceId: string; tree: SpanTree; index: number; onClose: () => void; detailsFrom?: { caseNumber: number } }) {
  const compact = tree.spans[index]
  const url = detailsFrom ? `/api/cases/${detailsFrom.caseNumber}/spans/${compact.spanId}` : `/api/traces/${traceId}/spans/${compact.spanId}`
  const detail = useQuery({
    queryKey: ['trace-span', detailsFrom?.caseNumber ?? traceId, compact.spanId],
    queryFn: () => callApi<SpanDetailResponse>(url),
    staleTime: Infinity,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
    refetchOnWindowFocus: false,
  })
  const span = detail.data?.span
  const isError = compact.status === 'error'
  const link = typeof window === 'undefined' ? '' : `${window.location.origin}${detailsFrom ? `/cases/${detailsFrom.caseNumber}` : `/traces/${traceId}`}?span=${compact.spanId}`
  return (
    <aside className="panel trace-detail" aria-labelledby="trace-detail-title" data-testid="span-detail">
      <div className="trace-detail-head">
        <div>
          <p className="muted small" style={{ margin: 0 }}>
            <span className="trace-swatch" style={{ background: serviceColor(compact.service) }} aria-hidden="true" /> {compact.service}
            {compact.stage ? <> · <span className="wf-badge stage">{compact.stage}</span></> : null}
          </p>
          <h2 id="trace-detail-title">{compact.name}</h2>
        </div>
        <button type="button" onClick={onClose} aria-label="Close the span detail (Escape)">Close</button>
      </div>
      <dl className="kv trace-kv">
        <dt>Status</dt>
        <dd>
          <span className={`badge ${isError ? 'bad' : compact.status === 'ok' ? 'ok' : ''}`}>{compact.status}</span>
          {span?.status.message ? <span className={isError ? 'bad-text' : undefined}> {span.status.message}</span> : null}
        </dd>
        <dt>Duration</dt>
        <dd className="mono">{formatDurationUs(compact.durationUs)} <span className="muted">starting {formatOffsetUs(compact.startUs - tree.startUs)}</span></dd>
        <dt>Kind</dt>
        <dd>{compact.kind}</dd>
        <dt>Span id</dt>
        <dd>
          <span className="mono">{compact.spanId}</span> <CopyButton value={link} label="Copy link" what="link to this span" />
        </dd>
        <dt>Children</dt>
        <dd>{formatCount(detail.data?.children ?? tree.childCount[index])} direct, {formatCount(descendantCount(tree, index))} in all</dd>
        {span?.scope ? (
          <>
            <dt>Instrumentation</dt>
            <dd className="mono small">{span.scope.name}{span.scope.version ? ` ${span.scope.version}` : ''}</dd>
          </>
        ) : null}
      </dl>

      {detail.isPending ? <p className="muted" role="status">Loading the span’s attributes, events and model call…</p> : null}
      {detail.isError ? (
        <div className="alert error" role="alert">
          Could not load this span: {detail.error.message}{' '}
          <button type="button" onClick={() => detail.refetch()}>Try again</button>
        </div>
      ) : null}
      {detail.data ? (
        <>
          {detail.data.modelCall ? <ModelCallView call={detail.data.modelCall} /> : null}
          <h3>Attributes</h3>
          <AttributeTable attributes={detail.data.span.attributes} label="Attributes" />
          <h3>Events</h3>
          <Events span={detail.data.span} />
          {detail.data.span.links.length ? (
            <>
              <h3>Links</h3>
              <ul className="trace-links">
                {detail.data.span.links.map((l) =>
                  HEX.test(l.traceId) && HEX.test(l.spanId) ? (
                    <li key={`${l.traceId}-${l.spanId}`}>
                      <Link href={`/traces/${l.traceId}?span=${l.spanId}`} className="mono small">{l.traceId} / {l.spanId}</Link>
                    </li>
                  ) : null,
                )}
              </ul>
            </>
          ) : null}
          <details className="trace-resource">
            <summary>Resource ({Object.keys(detail.data.span.resource).length} attributes)</summary>
            <AttributeTable attributes={detail.data.span.resource} label="Resource attributes" />
          </details>
        </>
      ) : null}
    </aside>
  )
}
