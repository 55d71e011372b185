import { formatCount, formatDuration, formatRate } from '@/lib/fleet/format'
import type { ContainerRow, Flag } from '@/lib/fleet/types'
import { Fragment } from 'react'
import { anchorId } from './anchors'
import { RowFlags } from './flag-list'
import { ShareBar } from './share-bar'

const COLUMNS = 9

function Unknown() {
  return <span className="muted">—</span>
}

function lastOutput(c: ContainerRow): string | null {
  if (!c.silence) return null
  if (c.silence.sinceAppeared) return `none since it appeared ${formatDuration(c.silence.seconds)} ago`
  if (c.silence.atLeast) return `none for ≥ ${formatDuration(c.silence.seconds)}`
  return `${formatDuration(c.silence.seconds)} ago`
}

export function ContainerTable({ containers, flags, kvCacheThreshold, restartsWindow }: { containers: ContainerRow[]; flags: Flag[]; kvCacheThreshold: number; restartsWindow: string }) {
  return (
    <div className="fleet-scroll" role="region" aria-label="Containers" tabIndex={0}>
      <table className="fleet-table" data-testid="fleet-containers">
        <thead>
          <tr>
            <th scope="col">Pod</th>
            <th scope="col">Node · GPUs</th>
            <th scope="col">Pipeline · model</th>
            <th scope="col">Last output</th>
            <th scope="col">Restarts {restartsWindow} / all</th>
            <th scope="col">Running · waiting</th>
            <th scope="col">KV cache</th>
            <th scope="col">Preemptions</th>
            <th scope="col">Gateway</th>
          </tr>
        </thead>
        <tbody>
          {containers.length === 0 ? (
            <tr><td colSpan={COLUMNS} className="muted">No serving containers in the metrics for this view.</td></tr>
          ) : null}
          {containers.map((c) => {
            const own = flags.filter((f) => f.pod === c.key)
            const isSilent = own.some((f) => f.kind === 'silence')
            return (
              <Fragment key={c.key}>
                <tr id={anchorId('pod', c.key)} tabIndex={-1} className={own.length ? 'flagged' : undefined} data-testid={`pod-row-${c.pod}`}>
                  <th scope="row">
                    <span className="mono">{c.pod}</span>
                    <div className="muted small mono">{c.namespace}{c.containers.length ? ` · ${c.containers.join(', ')}` : ''}</div>
                  </th>
                  <td>
                    {c.node ? <a href={`#${anchorId('node', c.node)}`} className="mono">{c.node}</a> : <Unknown />}
                    <div className="muted small">{c.gpusRequested !== null ? `${formatCount(c.gpusRequested)} GPU${Math.round(c.gpusRequested) === 1 ? '' : 's'}` : 'GPUs unknown'}</div>
                  </td>
                  <td>
                    {c.pipeline ?? <span className="muted">unknown</span>}
                    <div className="muted small mono">{c.model ?? 'no model yet'}</div>
                  </td>
                  <td className={`wrap${isSilent ? ' bad-text' : ''}`}>{lastOutput(c) ?? <Unknown />}</td>
                  <td>
                    <span className="mono">{c.restartsInWindow !== null ? formatCount(c.restartsInWindow) : '—'} / {c.restarts !== null ? formatCount(c.restarts) : '—'}</span>
                    {c.lastTerminatedReason ? <div className={`small ${c.lastTerminatedReason === 'OOMKilled' ? 'bad-text' : 'muted'}`}>last: {c.lastTerminatedReason}</div> : null}
                  </td>
                  <td className="mono">{c.requestsRunning !== null ? formatCount(c.requestsRunning) : '—'} · {c.requestsWaiting !== null ? formatCount(c.requestsWaiting) : '—'}</td>
                  <td><ShareBar share={c.kvCacheUsage} threshold={kvCacheThreshold} label="KV cache" /></td>
                  <td className="mono">{c.preemptionsPerSecond !== null ? formatRate(c.preemptionsPerSecond) : <Unknown />}</td>
                  <td className="mono">{c.gatewayRequestsPerSecond !== null ? formatRate(c.gatewayRequestsPerSecond) : <Unknown />}</td>
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
