/** How the review writes its numbers, the same on the page, in print and in the markdown export. */
import { formatDuration } from '@/lib/incidents/durations'

export { formatDuration }

/** 0.99912 -> "99.912 %"; null -> "—" (lib/slo/format.ts, so the review and the SLO pages write numbers alike). */
export { percent as percentText } from '@/lib/slo/format'

/** A change in percentage points, signed: "+1.2 pp", "−0.4 pp", "±0 pp". */
export function pointsDelta(current: number | null, previous: number | null, digits = 1): string {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return '—'
  const delta = (current - previous) * 100
  const text = Math.abs(delta).toFixed(digits)
  if (Number(text) === 0) return '±0 pp'
  return `${delta > 0 ? '+' : '−'}${text} pp`
}

/** A change in a count, signed: "+3", "−1", "±0". */
export function countDelta(current: number, previous: number): string {
  const delta = current - previous
  return delta === 0 ? '±0' : `${delta > 0 ? '+' : '−'}${Math.abs(delta)}`
}

/** "2026-11-16 09:05 UTC" */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`
}
