'use client'
import { useQuery } from '@tanstack/react-query'
import { ApiError, callApi } from '@/components/api-client'
import { AttributeTable } from '@/components/traces/attributes'
import { formatDurationUs, formatOffsetUs, serviceColor } from '@/components/traces/format'
import { ModelCallView } from '@/components/traces/model-call-view'
import type { SpanTree } from '@/components/traces/tree'
import type { SpanDetailResponse } from '@/components/traces/types'

/** The open span of a case's snapshot: attributes, events and model call come from the case, not a trace backend. */
export function CaseSpanDetail({ number, tree, index, onClose }: { number: number; tree: SpanTree; index: number; onClose: () => void }) {
  const compact = tree.spans[index]
  const detail = useQuery({
    queryKey: ['case-span', number, compact.spanId],
    queryFn: () => callApi<SpanDetailResponse>(`/api/cases/${number}/spans/${compact.spanId}`),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
  })
  const span = detail.data?.span
  const isError = compact.status === 'error'
  return (
    <aside className="panel trace-detail" aria-labelledby="case-span-title" data-testid="case-span-detail">
      <div className="trace-detail-head">
        <div>
          <p className="muted small" style={{ margin: 0 }}>
            <span className="trace-swatch" style={{ background: serviceColor(compact.service) }} aria-hidden="true" /> {compact.service}
            {compact.stage ? <> · {compact.stage}</> : null}
          </p>
          <h2 id="case-span-title">{compact.name}</h2>
        </div>
        <button type="button" onClick={onClose} aria-label="Close the span detail (Escape)">Close</button>
      </div>
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <span className={`badge ${isError ? 'bad' : compact.status === 'ok' ? 'ok' : ''}`}>{compact.status}</span>
          {span?.status.message ? <span className={isError ? 'bad-text' : undefined}> {span.status.message}</span> : null}
        </dd>
        <dt>Duration</dt>
        <dd className="mono">{formatDurationUs(compact.durationUs)} <span className="muted">starting {formatOffsetUs(compact.startUs - tree.startUs)}</span></dd>
        <dt>Span id</dt>
        <dd className="mono">{compact.spanId}</dd>
      </dl>
      {detail.isPending ? <p className="muted" role="status">Loading the span from the case…</p> : null}
      {detail.isError ? (
        <div className="alert error" role="alert">
          Could not load this span: {detail.error.message} <button type="button" onClick={() => detail.refetch()}>Try again</button>
        </div>
      ) : null}
      {detail.data ? (
        <>
          {detail.data.modelCall ? <ModelCallView call={detail.data.modelCall} /> : null}
          <h3>Attributes</h3>
          <AttributeTable attributes={detail.data.span.attributes} label="Attributes" />
          {detail.data.span.events.length ? (
            <>
              <h3>Events</h3>
              <ol className="case-events">
                {detail.data.span.events.map((event, k) => (
                  <li key={k}>
                    <span className="mono small muted">{formatOffsetUs(event.timeUs - detail.data.span.startUs)}</span> <strong>{event.name}</strong>
                    {Object.keys(event.attributes).length ? <AttributeTable attributes={event.attributes} label={`Attributes of event ${event.name}`} /> : null}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          <details>
            <summary>Resource ({Object.keys(detail.data.span.resource).length} attributes)</summary>
            <AttributeTable attributes={detail.data.span.resource} label="Resource attributes" />
          </details>
        </>
      ) : null}
    </aside>
  )
}
