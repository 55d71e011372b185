'use client'
import Link from 'next/link'
import { useState, type MouseEvent } from 'react'
import type { Finding } from '@/lib/traces/model'
import { groupFindings } from './findings'
import { formatCount, formatOffsetUs } from './format'
import type { SpanTree } from './tree'

/** Groups shown before "Show all"; spans linked per group. */
const SHOWN_GROUPS = 6
const SHOWN_SPANS = 3

/** A span's name, and where it starts when several spans of one finding share a name. */
function spanLabel(tree: SpanTree, spanId: string, withOffset: boolean): string {
  const span = tree.spans[tree.indexOf(spanId)]
  return withOffset ? `${span.name} at ${formatOffsetUs(span.startUs - tree.startUs)}` : span.name
}

/**
 * What the detectors found in this trace, worst first, one line per kind of problem: its spans (real links, ?span=,
 * so they also open in a new tab) and the runbook of the failure class it suggests.
 */
export function FindingsList({ findings, tree, onOpenSpan }: { findings: Finding[]; tree: SpanTree; onOpenSpan: (spanId: string) => void }) {
  const [showAll, setShowAll] = useState(false)
  if (findings.length === 0) {
    return <p className="muted small trace-no-findings" data-testid="trace-findings-none">The detectors found no known failure signature in this trace.</p>
  }
  const groups = groupFindings(findings)
  const shown = showAll ? groups : groups.slice(0, SHOWN_GROUPS)
  const follow = (spanId: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return // a new tab: let the link go
    event.preventDefault()
    onOpenSpan(spanId)
  }
  return (
    <section aria-labelledby="trace-findings-title" className="trace-findings">
      <h2 id="trace-findings-title">
        Findings <span className="muted small">({formatCount(findings.length)}{groups.length !== findings.length ? ` in ${groups.length} kind${groups.length === 1 ? '' : 's'}` : ''})</span>
      </h2>
      <ol data-testid="trace-findings">
        {shown.map((group) => {
          const spans = group.spanIds.filter((id) => tree.indexOf(id) !== -1)
          const names = spans.slice(0, SHOWN_SPANS).map((id) => tree.spans[tree.indexOf(id)].name)
          const namesRepeat = new Set(names).size < names.length
          return (
            <li key={group.key} className={`trace-finding ${group.severity}`} data-testid={`finding-${group.detector}`}>
              <span className={`badge ${group.severity === 'critical' ? 'bad' : 'warn'}`}>{group.severity}</span>{' '}
              {spans.length ? (
                <a href={`?span=${spans[0]}`} onClick={follow(spans[0])} className="trace-finding-summary">{group.summary}</a>
              ) : (
                <span>{group.summary}</span>
              )}
              {group.count > 1 ? <strong className="trace-finding-count"> · seen {formatCount(group.count)} times in this trace</strong> : null}
              <div className="trace-finding-links">
                {spans.slice(0, SHOWN_SPANS).map((id) => (
                  <a key={id} href={`?span=${id}`} onClick={follow(id)} className="chip">
                    span: {spanLabel(tree, id, namesRepeat)}
                  </a>
                ))}
                {spans.length > SHOWN_SPANS ? <span className="muted small">and {formatCount(spans.length - SHOWN_SPANS)} more spans </span> : null}
                {group.failureClass ? (
                  <Link href={`/runbooks/${encodeURIComponent(group.failureClass)}`} className="chip">runbook: {group.failureClass}</Link>
                ) : null}
              </div>
            </li>
          )
        })}
      </ol>
      {groups.length > SHOWN_GROUPS ? (
        <button type="button" className="trace-link-button small" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
          {showAll ? 'Show fewer' : `Show all ${groups.length} kinds of findings`}
        </button>
      ) : null}
    </section>
  )
}
