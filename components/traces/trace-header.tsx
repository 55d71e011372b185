'use client'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { Time } from '@/components/ui/time'
import { CopyButton } from './copy-button'
import { formatCount, formatDurationUs, isoFromUs, serviceColor } from './format'
import type { SpanTree } from './tree'
import type { TraceResponse } from './types'

export interface TraceFacts {
  services: string[]
  models: string[]
  errors: number
}

/** Services, models and errors of the whole trace, in one pass over the spans. */
export function traceFacts(tree: SpanTree): TraceFacts {
  const services = new Set<string>()
  const models = new Set<string>()
  let errors = 0
  for (const s of tree.spans) {
    services.add(s.service)
    if (s.model) models.add(s.model)
    if (s.status === 'error') errors++
  }
  return { services: [...services].sort(), models: [...models].sort(), errors }
}

/** `actions`: what the page offers on the whole trace (Pin as case), beside its id. */
export function TraceHeader({ data, facts, actions }: { data: TraceResponse; facts: TraceFacts; actions?: ReactNode }) {
  return (
    <header className="trace-header" data-testid="trace-header">
      <div className="trace-header-top">
        <div>
          <p className="muted small" style={{ margin: 0 }}>
            <Link href="/traces">Traces</Link> / trace
          </p>
          <h1 className="trace-id-title">
            <span className="mono" data-testid="trace-id">{data.traceId}</span> <CopyButton value={data.traceId} what="trace id" />
          </h1>
        </div>
        {actions ? <div className="trace-actions">{actions}</div> : null}
      </div>
      <dl className="trace-facts">
        <div>
          <dt>Source</dt>
          <dd>{data.source}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{data.spanCount ? <Time iso={isoFromUs(data.startUs)} /> : '—'}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd className="mono">{formatDurationUs(data.durationUs)}</dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd className="mono">{formatCount(data.spanCount)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd className={`mono${facts.errors ? ' bad-text' : ''}`}>{formatCount(facts.errors)}</dd>
        </div>
      </dl>
      <dl className="trace-facts">
        <div>
          <dt>Services ({facts.services.length})</dt>
          <dd>
            {facts.services.map((s) => (
              <span key={s} className="chip">
                <span className="trace-swatch" style={{ background: serviceColor(s) }} aria-hidden="true" /> {s}
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>Models ({facts.models.length})</dt>
          <dd>{facts.models.length ? facts.models.map((m) => <span key={m} className="chip mono">{m}</span>) : <span className="muted">no model calls</span>}</dd>
        </div>
      </dl>
    </header>
  )
}
