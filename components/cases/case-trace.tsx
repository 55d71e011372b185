'use client'
import { useMemo } from 'react'
import { FindingsList } from '@/components/traces/findings-list'
import { formatCount } from '@/components/traces/format'
import { buildSpanTree, expandAll, type SpanTree } from '@/components/traces/tree'
import type { TraceResponse } from '@/components/traces/types'
import { useWaterfall } from '@/components/traces/use-waterfall'
import { WaterfallWithDetail } from '@/components/traces/waterfall-with-detail'

/**
 * The case's snapshot in the trace waterfall, with the detectors' findings on it (today's detectors, so a case pinned
 * before a detector existed shows what it would find now). Span details come from the snapshot.
 */
export function CaseTrace({ number, view, initialSpanId = null }: { number: number; view: TraceResponse; initialSpanId?: string | null }) {
  const tree = useMemo<SpanTree>(() => buildSpanTree(view.spans), [view.spans])
  // ?span= (a finding's link opened in a new tab) opens that span
  const linked = initialSpanId ? tree.indexOf(initialSpanId) : -1
  const waterfall = useWaterfall(tree, {
    linked,
    reveal: [linked, ...view.findings.slice(0, 20).map((f) => tree.indexOf(f.spanIds[0] ?? ''))].filter((i) => i !== -1),
  })
  const { state, setState, errors, allShown, goTo } = waterfall
  return (
    <section className="case-trace" aria-labelledby="case-trace-title">
      {view.partial ? (
        <div className="alert warn-note" role="status">
          <strong>The trace was incomplete when it was pinned:</strong> {view.partial.reason}
        </div>
      ) : null}
      <FindingsList findings={view.findings} tree={tree} onOpenSpan={(id) => goTo(tree.indexOf(id))} />
      <div className="trace-toolbar" role="toolbar" aria-label="Waterfall">
        <h2 id="case-trace-title">Trace as pinned</h2>
        <span className="muted small">
          {formatCount(state.rows.length)} of {formatCount(tree.spans.length)} spans shown{errors.length ? ` · ${formatCount(errors.length)} with errors` : ''}
        </span>
        <button type="button" onClick={() => setState(expandAll(tree))} disabled={allShown}>Expand all</button>
        <span className="muted small trace-keys">↑ ↓ move · → ← open and close · Enter details · Esc close</span>
      </div>
      {tree.spans.length === 0 ? (
        <p className="muted">The snapshot holds no spans.</p>
      ) : (
        <WaterfallWithDetail traceId={view.traceId} tree={tree} waterfall={waterfall} detailsFrom={{ caseNumber: number }} />
      )}
    </section>
  )
}
