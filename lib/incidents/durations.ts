/** Incident durations for the room header and the weekly review: time to detect, acknowledge, mitigate, resolve. */
export interface IncidentTimes {
  startedAt: Date
  detectedAt: Date
  acknowledgedAt: Date | null
  mitigatedAt: Date | null
  resolvedAt: Date | null
}

export interface IncidentDurations {
  toDetectMs: number
  toAcknowledgeMs: number | null
  toMitigateMs: number | null
  toResolveMs: number | null
  openForMs: number
}

export function incidentDurations(times: IncidentTimes, now: Date): IncidentDurations {
  const since = (end: Date | null, start: Date) => (end ? Math.max(0, end.getTime() - start.getTime()) : null)
  return {
    toDetectMs: Math.max(0, times.detectedAt.getTime() - times.startedAt.getTime()),
    toAcknowledgeMs: since(times.acknowledgedAt, times.detectedAt),
    toMitigateMs: since(times.mitigatedAt, times.startedAt),
    toResolveMs: since(times.resolvedAt, times.startedAt),
    openForMs: Math.max(0, (times.resolvedAt ?? now).getTime() - times.startedAt.getTime()),
  }
}

/** "45s", "12m", "3h 05m", "2d 4h": short enough for a list column, exact enough for a review. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—'
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`
  return `${Math.floor(hours / 24)}d ${hours % 24}h`
}
