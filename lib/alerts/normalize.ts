import { createHash } from 'node:crypto'
import { trimFraction, type AlertmanagerWebhook } from './schemas'

export interface NormalizedAlert {
  fingerprint: string
  startsAt: Date
  endsAt: Date | null
  status: 'firing' | 'resolved'
  alertname: string
  labels: Record<string, string>
  annotations: Record<string, string>
  generatorURL: string | null
}

/** Go's zero time: Alertmanager's way of saying "no end yet". */
const ZERO_TIME_YEAR = 1

function parseTime(value: string | undefined): Date | null {
  if (!value) return null
  const date = new Date(trimFraction(value))
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() <= ZERO_TIME_YEAR ? null : date
}

/** Alertmanager's fingerprint when the sender gave none: a hash of the sorted label set, stable across deliveries. */
export function fingerprintOf(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001')
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16)
}

/** A group key for senders that send none (old Alertmanager, vmalert): the receiver and the group labels. */
export function groupKeyOf(payload: AlertmanagerWebhook): string {
  if (payload.groupKey) return payload.groupKey
  const labels = Object.keys(payload.groupLabels).length > 0 ? payload.groupLabels : payload.commonLabels
  const inner = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')
  return `${payload.receiver}:{${inner}}`
}

/**
 * The alerts of one delivery, one per (fingerprint, startsAt), sorted by that pair so concurrent deliveries lock
 * rows in the same order (no deadlocks) and a payload that repeats an alert does not upsert one row twice.
 */
export function normalizeAlerts(payload: AlertmanagerWebhook, now: Date = new Date()): NormalizedAlert[] {
  const byKey = new Map<string, NormalizedAlert>()
  const labelsOfFingerprint = new Map<string, string>()
  for (const alert of payload.alerts) {
    const startsAt = parseTime(alert.startsAt) ?? now
    const endsAt = parseTime(alert.endsAt)
    const status = alert.status ?? (endsAt && endsAt <= now ? 'resolved' : payload.status)
    const ownFingerprint = fingerprintOf(alert.labels)
    // A sender that reuses one fingerprint for different label sets (seen in vmalert-made payloads) would merge
    // distinct alerts; the label hash keeps them apart.
    let fingerprint = alert.fingerprint ?? ownFingerprint
    const seenWith = labelsOfFingerprint.get(fingerprint)
    if (seenWith !== undefined && seenWith !== ownFingerprint) fingerprint = ownFingerprint
    labelsOfFingerprint.set(fingerprint, ownFingerprint)
    const normalized: NormalizedAlert = {
      fingerprint,
      startsAt,
      endsAt,
      status,
      alertname: alert.labels.alertname ?? payload.commonLabels.alertname ?? 'unnamed',
      labels: alert.labels,
      annotations: alert.annotations,
      generatorURL: alert.generatorURL || null,
    }
    const key = `${normalized.fingerprint}\u0000${startsAt.toISOString()}`
    const existing = byKey.get(key)
    // within one delivery, "resolved" wins: it is the later state
    if (!existing || (existing.status === 'firing' && status === 'resolved')) byKey.set(key, normalized)
  }
  return [...byKey.values()].sort((a, b) =>
    a.fingerprint === b.fingerprint ? a.startsAt.getTime() - b.startsAt.getTime() : a.fingerprint < b.fingerprint ? -1 : 1,
  )
}

/** "HighTTFT ×3, GPUMemoryHigh" for timeline entries. */
export function summarizeAlertnames(alertnames: string[]): string {
  const counts = new Map<string, number>()
  for (const name of alertnames) counts.set(name, (counts.get(name) ?? 0) + 1)
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, n]) => (n > 1 ? `${name} ×${n}` : name))
  return parts.length > 6 ? `${parts.slice(0, 6).join(', ')} and ${parts.length - 6} more` : parts.join(', ')
}
