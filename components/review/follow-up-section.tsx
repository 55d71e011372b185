import Link from 'next/link'
import { utcMinute } from '@/lib/review/format'
import type { WeeklyReview } from '@/lib/review/types'
import { CountDelta } from './deltas'
import styles from './review.module.css'

/** Action items (opened, closed, overdue, the open list) and the postmortems still due. */
export function FollowUpSection({ review }: { review: Pick<WeeklyReview, 'actionItems' | 'postmortemsDue'> }) {
  const items = review.actionItems
  return (
    <>
      <section className={styles.section} aria-labelledby="review-action-items">
        <h2 id="review-action-items">Action items</h2>
        <div className={styles.summary}>
          <div>
            <div className="muted small">Opened in the period</div>
            <div className={styles.big} data-testid="review-items-opened">{items.opened}</div>
            <CountDelta current={items.opened} previous={items.previousOpened} higherIsBetter={false} />
          </div>
          <div>
            <div className="muted small">Closed in the period</div>
            <div className={styles.big} data-testid="review-items-closed">{items.closed}</div>
            <CountDelta current={items.closed} previous={items.previousClosed} higherIsBetter />
          </div>
          <div>
            <div className="muted small">Overdue at the period’s end</div>
            <div className={styles.big} data-testid="review-items-overdue-at-end">{items.overdueAtEnd}</div>
            <CountDelta current={items.overdueAtEnd} previous={items.previousOverdueAtEnd} higherIsBetter={false} />
          </div>
          <div>
            <div className="muted small">Overdue today</div>
            <div className={`${styles.big} ${items.overdueNow > 0 ? styles.worse : ''}`} data-testid="review-items-overdue-now">{items.overdueNow}</div>
            <span className="muted small">{items.open.length} open in all</span>
          </div>
        </div>
        {items.open.length > 0 ? (
          <table className="compact" data-testid="review-open-items">
            <thead>
              <tr>
                <th scope="col">Action item</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {items.open.map((i) => (
                <tr key={i.number} className={i.isOverdue ? styles.overdue : undefined} data-testid={`review-item-${i.number}`}>
                  <td>
                    <span className="mono">AI-{i.number}</span> {i.title}
                    {i.isOverdue ? <span className={styles.overdueBadge}>overdue</span> : null}
                  </td>
                  <td>{i.ownerName ?? <span className="muted">nobody</span>}</td>
                  <td className="mono">{i.dueDate ?? '—'}</td>
                  <td>{i.status.replace('_', ' ')}</td>
                  <td className="mono">{i.priority.toUpperCase()}</td>
                  <td>
                    <Link href={`/postmortems/${i.postmortemNumber}`}>PM-{i.postmortemNumber}</Link> · <Link href={`/incidents/${i.incidentNumber}`}>INC-{i.incidentNumber}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No open action items.</p>
        )}
      </section>
      <section className={styles.section} aria-labelledby="review-postmortems-due">
        <h2 id="review-postmortems-due">Postmortems due</h2>
        {review.postmortemsDue.length === 0 ? (
          <p className="muted" data-testid="review-postmortems-due-none">Every SEV1 and SEV2 incident resolved in the period has a published postmortem.</p>
        ) : (
          <ul data-testid="review-postmortems-due">
            {review.postmortemsDue.map((d) => (
              <li key={d.incidentNumber}>
                <Link href={`/incidents/${d.incidentNumber}`}>
                  <span className="mono">INC-{d.incidentNumber}</span> {d.title}
                </Link>{' '}
                <span className={`sev ${d.severity.toLowerCase()}`}>{d.severity}</span> resolved {utcMinute(d.resolvedAt)}:{' '}
                {d.postmortem ? (
                  <Link href={`/postmortems/${d.postmortem.number}`}>PM-{d.postmortem.number} is {d.postmortem.status.replace('_', ' ')}</Link>
                ) : (
                  <strong>no postmortem yet</strong>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
