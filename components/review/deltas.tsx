import styles from './review.module.css'
import { countDelta, pointsDelta } from '@/lib/review/format'

/** A change against the previous period, coloured by whether it is good news. */
export function PointsDelta({ current, previous, higherIsBetter, digits = 1 }: { current: number | null; previous: number | null; higherIsBetter: boolean; digits?: number }) {
  const text = pointsDelta(current, previous, digits)
  const tone = current === null || previous === null || text === '±0 pp' ? '' : (current > previous) === higherIsBetter ? styles.better : styles.worse
  return <span className={`${styles.delta} ${tone}`} title="change against the previous period, in percentage points">{text} vs previous</span>
}

export function CountDelta({ current, previous, higherIsBetter }: { current: number; previous: number; higherIsBetter: boolean }) {
  const tone = current === previous ? '' : (current > previous) === higherIsBetter ? styles.better : styles.worse
  return <span className={`${styles.delta} ${tone}`} title={`previous period: ${previous}`}>{countDelta(current, previous)} vs previous ({previous})</span>
}
