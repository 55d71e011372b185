/**
 * Alertmanager deliveries into incidents. At-least-once delivery (retries, HA pairs) must change nothing the second
 * time, so every step is an upsert against a database constraint, inside one transaction:
 *   1. the group's open incident: INSERT ... ON CONFLICT on the partial unique index (one open incident per group),
 *      then SELECT ... FOR UPDATE, which serializes deliveries for the same incident;
 *   2. the alerts, in sorted batches: INSERT ... ON CONFLICT (fingerprint, "startsAt") DO UPDATE only when the status
 *      moves forward (firing -> resolved), RETURNING just the rows that changed;
 *   3. timeline entries from exactly those changed rows, so a redelivery adds none.
 * The database client is passed in so the demo seed and the benchmarks use the same path as the route.
 */
import { randomUUID } from 'node:crypto'
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client'
import { incidentFieldsFor, type AlertMapping, type Severity } from './mapping'
import { groupKeyOf, normalizeAlerts, summarizeAlertnames, type NormalizedAlert } from './normalize'
import type { AlertmanagerWebhook } from './schemas'

export const ALERT_BATCH_SIZE = 1000

/**
 * Prisma maps DateTime to "timestamp without time zone" holding UTC; in raw SQL, now() and timestamptz values must be
 * converted explicitly or the server's TimeZone setting would shift them.
 */
const UTC_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`

function newIncidentId(): string {
  return `inc_${randomUUID().replace(/-/g, '')}`
}

export interface IntakeResult {
  incidentId: string
  incidentNumber: number
  isNewIncident: boolean
  alertsReceived: number
  alertsNew: number
  alertsResolved: number
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]

interface IncidentRow {
  id: string
  number: number
  severity: Severity
  status: string
  models: string[]
}

async function findOrOpenIncident(tx: Tx, payload: AlertmanagerWebhook, alerts: NormalizedAlert[], mapping: AlertMapping) {
  const groupKey = groupKeyOf(payload)
  const fields = incidentFieldsFor(payload, alerts, mapping)
  const startedAt = new Date(Math.min(...alerts.map((a) => a.startsAt.getTime())))
  const anyFiring = alerts.some((a) => a.status === 'firing')

  let isNew = false
  if (anyFiring) {
    const inserted = await tx.$queryRaw<IncidentRow[]>`
      INSERT INTO incidents (id, title, severity, status, source, "groupKey", receiver, pipeline, models, "startedAt", "detectedAt", "truncatedAlerts", "createdAt", "updatedAt")
      VALUES (${newIncidentId()}, ${fields.title}, ${fields.severity}::"Severity", 'triggered', 'alertmanager', ${groupKey}, ${payload.receiver},
              ${fields.pipeline}, ${fields.models}::text[], ${startedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${UTC_NOW}, ${payload.truncatedAlerts}, ${UTC_NOW}, ${UTC_NOW})
      ON CONFLICT ("groupKey") WHERE "status" <> 'resolved' AND "groupKey" IS NOT NULL DO NOTHING
      RETURNING id, number, severity::text AS severity, status::text AS status, models`
    isNew = inserted.length === 1
  }
  // The open incident for the group, or (for a late "resolved" delivery) the latest one.
  const [incident] = await tx.$queryRaw<IncidentRow[]>`
    SELECT id, number, severity::text AS severity, status::text AS status, models FROM incidents
    WHERE "groupKey" = ${groupKey}
    ORDER BY (status <> 'resolved') DESC, "detectedAt" DESC
    LIMIT 1
    FOR UPDATE`
  if (incident) return { incident, isNew, fields, groupKey }
  // Only resolved alerts for a group we never saw: record them on a new incident anyway, so nothing is dropped.
  const [created] = await tx.$queryRaw<IncidentRow[]>`
    INSERT INTO incidents (id, title, severity, status, source, "groupKey", receiver, pipeline, models, "startedAt", "detectedAt", "truncatedAlerts", "createdAt", "updatedAt")
    VALUES (${newIncidentId()}, ${fields.title}, ${fields.severity}::"Severity", 'triggered', 'alertmanager', ${groupKey}, ${payload.receiver},
            ${fields.pipeline}, ${fields.models}::text[], ${startedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', ${UTC_NOW}, ${payload.truncatedAlerts}, ${UTC_NOW}, ${UTC_NOW})
    ON CONFLICT DO NOTHING
    RETURNING id, number, severity::text AS severity, status::text AS status, models`
  if (created) return { incident: created, isNew: true, fields, groupKey }
  return findOrOpenIncident(tx, payload, alerts, mapping)
}

async function upsertAlerts(tx: Tx, incidentId: string, alerts: NormalizedAlert[]) {
  const changed: { alertname: string; status: string; inserted: boolean }[] = []
  for (let i = 0; i < alerts.length; i += ALERT_BATCH_SIZE) {
    const batch = alerts.slice(i, i + ALERT_BATCH_SIZE)
    const rows = await tx.$queryRaw<{ alertname: string; status: string; inserted: boolean }[]>`
      INSERT INTO alerts ("incidentId", fingerprint, "startsAt", "endsAt", status, alertname, labels, annotations, "generatorURL", "firstSeenAt", "lastSeenAt")
      SELECT ${incidentId}, f, s AT TIME ZONE 'UTC', e AT TIME ZONE 'UTC', st, n, l::jsonb, a::jsonb, g, ${UTC_NOW}, ${UTC_NOW}
      FROM unnest(
        ${batch.map((a) => a.fingerprint)}::text[],
        ${batch.map((a) => a.startsAt.toISOString())}::timestamptz[],
        ${batch.map((a) => a.endsAt?.toISOString() ?? null)}::timestamptz[],
        ${batch.map((a) => a.status)}::text[],
        ${batch.map((a) => a.alertname)}::text[],
        ${batch.map((a) => JSON.stringify(a.labels))}::text[],
        ${batch.map((a) => JSON.stringify(a.annotations))}::text[],
        ${batch.map((a) => a.generatorURL)}::text[]
      ) AS t(f, s, e, st, n, l, a, g)
      ON CONFLICT (fingerprint, "startsAt") DO UPDATE
        SET status = EXCLUDED.status, "endsAt" = EXCLUDED."endsAt", annotations = EXCLUDED.annotations, "lastSeenAt" = EXCLUDED."lastSeenAt"
        WHERE alerts.status = 'firing' AND EXCLUDED.status = 'resolved'
      RETURNING alertname, status, (xmax = 0) AS inserted`
    changed.push(...rows)
  }
  return changed
}

export async function ingestAlertmanagerWebhook(db: PrismaClient, payload: AlertmanagerWebhook, mapping: AlertMapping): Promise<IntakeResult> {
  const alerts = normalizeAlerts(payload)
  return db.$transaction(
    async (tx) => {
      const { incident, isNew, fields, groupKey } = await findOrOpenIncident(tx, payload, alerts, mapping)
      const changed = await upsertAlerts(tx, incident.id, alerts)
      const fired = changed.filter((c) => c.inserted && c.status === 'firing').map((c) => c.alertname)
      const resolved = changed.filter((c) => c.status === 'resolved').map((c) => c.alertname)
      const entries: { kind: string; body: string; data: object }[] = []
      if (isNew) {
        entries.push({ kind: 'opened', body: `Opened from Alertmanager (receiver ${payload.receiver || 'unnamed'})`, data: { groupKey } })
      }
      if (fired.length > 0) {
        entries.push({ kind: 'alert.fired', body: `${fired.length} alert${fired.length === 1 ? '' : 's'} fired: ${summarizeAlertnames(fired)}`, data: { count: fired.length } })
      }
      if (resolved.length > 0) {
        entries.push({ kind: 'alert.resolved', body: `${resolved.length} alert${resolved.length === 1 ? '' : 's'} resolved: ${summarizeAlertnames(resolved)}`, data: { count: resolved.length } })
      }
      if (!isNew && fired.length > 0 && fields.severity < incident.severity) {
        entries.push({ kind: 'severity', body: `Severity raised from ${incident.severity} to ${fields.severity} by new alerts`, data: { from: incident.severity, to: fields.severity } })
      }
      let resolveNow = false
      if (resolved.length > 0 && incident.status !== 'resolved') {
        const [{ firing }] = await tx.$queryRaw<{ firing: number }[]>`SELECT count(*)::int AS firing FROM alerts WHERE "incidentId" = ${incident.id} AND status = 'firing'`
        if (firing === 0) {
          entries.push({ kind: 'alert.resolved', body: 'Every alert of this incident has resolved', data: { allResolved: true } })
          if (mapping.autoResolve) {
            resolveNow = true
            entries.push({ kind: 'status', body: `Status ${incident.status} → resolved (all alerts resolved; auto-resolve is on)`, data: { from: incident.status, to: 'resolved' } })
          }
        }
      }
      if (entries.length > 0) {
        await tx.timelineEntry.createMany({ data: entries.map((e) => ({ incidentId: incident.id, kind: e.kind, body: e.body, data: e.data, actorName: 'Alertmanager' })) })
      }
      if (!isNew && (fired.length > 0 || resolveNow || payload.truncatedAlerts > 0)) {
        const models = [...new Set([...incident.models, ...fields.models])].sort()
        await tx.$executeRaw`
          UPDATE incidents SET
            severity = LEAST(severity, ${fields.severity}::"Severity"),
            models = ${models}::text[],
            "truncatedAlerts" = GREATEST("truncatedAlerts", ${payload.truncatedAlerts}),
            status = CASE WHEN ${resolveNow} THEN 'resolved'::"IncidentStatus" ELSE status END,
            "resolvedAt" = CASE WHEN ${resolveNow} THEN ${UTC_NOW} ELSE "resolvedAt" END,
            "updatedAt" = ${UTC_NOW}
          WHERE id = ${incident.id}`
      }
      return {
        incidentId: incident.id,
        incidentNumber: incident.number,
        isNewIncident: isNew,
        alertsReceived: payload.alerts.length,
        alertsNew: changed.filter((c) => c.inserted).length,
        alertsResolved: resolved.length,
      }
    },
    { timeout: 60_000, maxWait: 30_000 },
  )
}
