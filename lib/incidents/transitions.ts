import type { IncidentStatus } from './schemas'

/**
 * What a status change does to the incident's timestamps: the first time it is acknowledged, mitigated or resolved is
 * kept (a review measures those), skipping ahead fills the steps passed over, and reopening clears the resolution.
 */
export function timestampsForStatus(
  current: { acknowledgedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null },
  next: IncidentStatus,
  now: Date,
): { acknowledgedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null } {
  const rank: Record<IncidentStatus, number> = { triggered: 0, acknowledged: 1, investigating: 2, mitigated: 3, resolved: 4 }
  const r = rank[next]
  return {
    acknowledgedAt: r >= 1 ? (current.acknowledgedAt ?? now) : current.acknowledgedAt,
    mitigatedAt: r >= 3 ? (current.mitigatedAt ?? now) : current.mitigatedAt,
    resolvedAt: r >= 4 ? (current.resolvedAt ?? now) : null,
  }
}
