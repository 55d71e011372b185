import { formatCount, formatRate, formatShare } from '@/lib/fleet/format'
import type { Flag, PipelineRow, QueueDepth } from '@/lib/fleet/types'
import { Fragment } from 'react'
import { anchorId } from './anchors'
import { RowFlags } from './flag-list'

const COLUMNS = 7

function depth(queue: QueueDepth | null, pick: (q: QueueDepth) => number | null) {
  if (!queue) return <span className="muted">no queue metrics</span>
  const value = pick(queue)
  return value === null ? <span className="muted">—</span> : <span className="mono">{formatCount(value)}</span>
}

export function PipelineTable({ pipelines, flags }: { pipelines: PipelineRow[]; flags: Flag[] }) {
  return (
    <div className="fleet-scroll" role="region" aria-label="Pipelines and queues" tabIndex={0}>
      <table className="fleet-table" data-testid="fleet-pipelines">
        <thead>
          <tr>
            <th scope="col">Pipeline</th>
            <th scope="col">Gateway traffic</th>
            <th scope="col">5xx</th>
            <th scope="col">Queue depth</th>
            <th scope="col">In flight</th>
            <th scope="col">Dead letters</th>
            <th scope="col">Containers</th>
          </tr>
        </thead>
        <tbody>
          {pipelines.length === 0 ? <tr><td colSpan={COLUMNS} className="muted">No pipelines in the metrics for this view.</td></tr> : null}
          {pipelines.map((p) => {
            const own = flags.filter((f) => f.pipeline === p.pipeline && f.pod === null && f.node === null)
            return (
              <Fragment key={p.pipeline}>
                <tr id={anchorId('pipeline', p.pipeline)} tabIndex={-1} className={own.length ? 'flagged' : undefined}>
                  <th scope="row">{p.pipeline}</th>
                  <td className="mono">{p.gatewayRequestsPerSecond !== null ? formatRate(p.gatewayRequestsPerSecond) : '—'}</td>
                  <td className={`mono${(p.gatewayErrorShare ?? 0) > 0.05 ? ' bad-text' : ''}`}>{p.gatewayErrorShare !== null ? formatShare(p.gatewayErrorShare) : '—'}</td>
                  <td>{depth(p.queue, (q) => q.ready)}{p.queue ? <div className="muted small mono">{p.queue.name}</div> : null}</td>
                  <td>{depth(p.queue, (q) => q.unacked)}</td>
                  <td>{depth(p.deadLetter, (q) => q.ready)}{p.deadLetter ? <div className="muted small mono">{p.deadLetter.name}</div> : null}</td>
                  <td className="mono">{p.containers}</td>
                </tr>
                <RowFlags flags={own} colSpan={COLUMNS} />
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
