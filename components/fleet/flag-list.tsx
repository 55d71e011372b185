import Link from 'next/link'
import type { Flag } from '@/lib/fleet/types'
import { flagAnchor } from './anchors'

/** Every flag with what it saw, a link to its row and to the runbook of the failure class it points to. */
export function FlagList({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return null
  return (
    <ol className="fleet-flags" aria-label="Flags" data-testid="fleet-flags">
      {flags.map((flag) => (
        <li key={flag.id} className={`fleet-flag ${flag.severity}`} data-testid={`flag-${flag.kind}`}>
          <span className={`badge ${flag.severity === 'critical' ? 'bad' : 'warn'}`}>{flag.severity}</span>{' '}
          <a href={`#${flagAnchor(flag)}`} className="mono">{flag.where}</a>
          {flag.text.startsWith(flag.where) ? flag.text.slice(flag.where.length) : `: ${flag.text}`}
          {flag.failureClass ? (
            <>
              {' '}
              <Link href={`/runbooks/${flag.failureClass}`} className="chip">runbook: {flag.failureClass}</Link>
            </>
          ) : null}
        </li>
      ))}
    </ol>
  )
}

/** The flags of one row, under it, so a flagged row says why without looking up. */
export function RowFlags({ flags, colSpan }: { flags: Flag[]; colSpan: number }) {
  if (flags.length === 0) return null
  return (
    <tr className="fleet-flag-row">
      <td colSpan={colSpan}>
        <ul>
          {flags.map((f) => (
            <li key={f.id} className={f.severity}>
              <strong>{f.what}</strong>: {f.text}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  )
}
