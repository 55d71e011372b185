'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import { WEEKDAYS, type Weekday } from '@/lib/review/period'
import type { WeeklyReview } from '@/lib/review/types'
import styles from './review.module.css'

function WeekStartSetting({ weekStart }: { weekStart: Weekday }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  return (
    <label>
      Our week starts on
      <select
        value={weekStart}
        disabled={saving}
        aria-describedby={error ? 'week-start-error' : undefined}
        onChange={async (event) => {
          setSaving(true)
          setError(null)
          try {
            await callApi('/api/review/settings', { method: 'PUT', body: JSON.stringify({ weekStart: event.target.value }) })
            router.refresh()
          } catch (e) {
            setError((e as Error).message)
          } finally {
            setSaving(false)
          }
        }}
      >
        {WEEKDAYS.map((d) => (
          <option key={d} value={d}>{d.charAt(0).toUpperCase() + d.slice(1)}</option>
        ))}
      </select>
      {error ? <span id="week-start-error" className="field-error" role="alert">{error}</span> : null}
    </label>
  )
}

/** Which period: week arrows, a week picker, a custom range, and the export and print links for what is shown. */
export function PeriodControls({ review, canConfigure }: { review: WeeklyReview; canConfigure: boolean }) {
  const { period, navigation } = review
  const isCurrent = period.week === navigation.current
  return (
    <div className={styles.controls}>
      <nav className={styles.nav} aria-label="Review period">
        <Link href={`/review?week=${navigation.previous}`} rel="prev">← Previous week</Link>
        {navigation.next ? <Link href={`/review?week=${navigation.next}`} rel="next">Next week →</Link> : <a aria-disabled="true">Next week →</a>}
        <Link href={`/review?week=${navigation.current}`} aria-current={isCurrent ? 'page' : undefined}>This week so far</Link>
      </nav>
      <form action="/review" method="get" aria-label="Choose a week">
        <label>
          Week containing
          <input type="date" name="week" defaultValue={period.week ?? ''} required />
        </label>
        <button type="submit">Show week</button>
      </form>
      <form action="/review" method="get" aria-label="Choose a range">
        <label>
          From
          <input type="date" name="from" defaultValue={period.start.slice(0, 10)} required />
        </label>
        <label>
          To (exclusive)
          <input type="date" name="to" defaultValue={period.end.slice(0, 10)} required />
        </label>
        <button type="submit">Show range</button>
      </form>
      {canConfigure ? <WeekStartSetting weekStart={period.weekStart} /> : null}
      <span className={styles.nav}>
        <a href={`/api/review/export?${period.search}`} download data-testid="review-export">Export markdown</a>
        <Link href={`/review/print?${period.search}`} data-testid="review-print-link">Print view</Link>
      </span>
    </div>
  )
}
