import { formatShare } from '@/lib/fleet/format'

/** A small inline bar for a 0-1 share, with the threshold marked; the number beside it is the accessible value. */
export function ShareBar({ share, threshold, label }: { share: number | null; threshold?: number; label: string }) {
  if (share === null) return <span className="muted">—</span>
  const isOver = threshold !== undefined && share > threshold
  return (
    <span className="share">
      <span className={`share-bar${isOver ? ' over' : ''}`} aria-hidden="true" title={`${label}: ${formatShare(share)}`}>
        <span className="share-bar-fill" style={{ width: `${Math.min(100, Math.max(0, share * 100))}%` }} />
        {threshold !== undefined ? <span className="share-bar-threshold" style={{ left: `${threshold * 100}%` }} /> : null}
      </span>
      <span className={`mono${isOver ? ' share-over' : ''}`}>{formatShare(share)}</span>
    </span>
  )
}
