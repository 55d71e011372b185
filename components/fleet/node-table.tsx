import { Fragment } from 'react'
import { formatGiB, formatShare } from '@/lib/fleet/format'
import type { Flag, NodeRow } from '@/lib/fleet/types'
import { anchorId } from './anchors'
import { RowFlags } from './flag-list'
import { ShareBar } from './share-bar'

const COLUMNS = 9

function Unknown() {
  return <span className="muted">—</span>
}

export function NodeTable({ nodes, flags, gpuMemoryThreshold }: { nodes: NodeRow[]; flags: Flag[]; gpuMemoryThreshold: number }) {
  return (
    <div className="fleet-scroll" role="region" aria-label="Nodes" tabIndex={0}>
      <table className="fleet-table" data-testid="fleet-nodes">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">GPUs free</th>
            <th scope="col">GPU memory (per GPU)</th>
            <th scope="col">Used / total</th>
            <th scope="col">Util</th>
            <th scope="col">Temp</th>
            <th scope="col">Throttled</th>
            <th scope="col">XID</th>
            <th scope="col">Serving</th>
          </tr>
        </thead>
        <tbody>
          {nodes.length === 0 ? (
            <tr><td colSpan={COLUMNS} className="muted">No nodes in the metrics for this view.</td></tr>
          ) : null}
          {nodes.map((n) => {
            const own = flags.filter((f) => f.node === n.node && f.pod === null)
            const xids = n.gpus.filter((g) => g.xid !== null && g.xid > 0)
            return (
              <Fragment key={n.node}>
                <tr id={anchorId('node', n.node)} tabIndex={-1} className={own.length ? 'flagged' : undefined} data-testid={`node-row-${n.node}`}>
                  <th scope="row">
                    <span className="mono">{n.node}</span>
                    {n.gpuModels.length ? <div className="muted small">{n.gpuModels.join(', ')}</div> : null}
                  </th>
                  <td className={n.gpusFree !== null && n.gpusFree < 0 ? 'bad-text' : undefined}>
                    {n.gpusFree !== null && n.gpusAllocatable !== null ? <span className="mono">{n.gpusFree} / {n.gpusAllocatable}</span> : <Unknown />}
                  </td>
                  <td>
                    {n.gpus.length === 0 ? <Unknown /> : (
                      <ul className="gpu-bars">
                        {n.gpus.map((g) => (
                          <li key={g.gpu}>
                            <span className="muted small mono">{g.gpu}</span>
                            <ShareBar share={g.memoryUsedMiB !== null && g.memoryTotalMiB ? g.memoryUsedMiB / g.memoryTotalMiB : null} threshold={gpuMemoryThreshold} label={`GPU ${g.gpu} memory`} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="mono">{n.memoryUsedMiB !== null && n.memoryTotalMiB !== null ? `${formatGiB(n.memoryUsedMiB).replace(' GiB', '')} / ${formatGiB(n.memoryTotalMiB)}` : <Unknown />}</td>
                  <td className="mono">{n.utilisation !== null ? `${Math.round(n.utilisation)} %` : <Unknown />}</td>
                  <td className="mono">{n.maxTemperatureC !== null ? `${Math.round(n.maxTemperatureC)} °C` : <Unknown />}</td>
                  <td className="mono">{n.maxThrottledShare !== null ? formatShare(n.maxThrottledShare) : <Unknown />}</td>
                  <td className={xids.length ? 'bad-text mono' : 'mono'}>{n.gpus.length === 0 ? <Unknown /> : xids.length ? xids.map((g) => `GPU ${g.gpu}: ${g.xid}`).join(', ') : 'none'}</td>
                  <td>
                    {n.pods.length === 0 ? <span className="muted">none</span> : n.pods.map((p) => (
                      <div key={p}><a href={`#${anchorId('pod', p)}`} className="mono small">{p.split('/')[1]}</a></div>
                    ))}
                  </td>
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

