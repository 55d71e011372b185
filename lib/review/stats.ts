/**
 * Time to detect / acknowledge / mitigate / resolve over a set of incidents (lib/incidents/durations.ts), as median,
 * p90 and mean. Percentiles use the nearest-rank method (a value that occurred, not an interpolation): with a week's
 * handful of incidents an interpolated p90 would describe an incident that never happened.
 */
import { incidentDurations, type IncidentTimes } from '@/lib/incidents/durations'

export const TTX_KEYS = ['detect', 'acknowledge', 'mitigate', 'resolve'] as const
export type TtxKey = (typeof TTX_KEYS)[number]

export const TTX_LABELS: Record<TtxKey, string> = {
  detect: 'Time to detect',
  acknowledge: 'Time to acknowledge',
  mitigate: 'Time to mitigate',
  resolve: 'Time to resolve',
}

export interface DurationStats {
  /** how many incidents had reached this point */
  count: number
  medianMs: number | null
  p90Ms: number | null
  meanMs: number | null
}

/** Nearest-rank percentile (p in (0, 100]) of unsorted values; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The middle value, or the mean of the two middle values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function describeDurations(values: number[]): DurationStats {
  return {
    count: values.length,
    medianMs: median(values),
    p90Ms: percentile(values, 90),
    meanMs: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
  }
}

/** Per key; an incident not yet acknowledged (mitigated, resolved) counts only for the steps it reached. */
export function ttxStats(incidents: IncidentTimes[], now: Date): Record<TtxKey, DurationStats> {
  const durations = incidents.map((i) => incidentDurations(i, now))
  const pick = (f: (d: (typeof durations)[number]) => number | null) => describeDurations(durations.map(f).filter((v): v is number => v !== null))
  return {
    detect: pick((d) => d.toDetectMs),
    acknowledge: pick((d) => d.toAcknowledgeMs),
    mitigate: pick((d) => d.toMitigateMs),
    resolve: pick((d) => d.toResolveMs),
  }
}
