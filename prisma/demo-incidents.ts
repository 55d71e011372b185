/**
 * Demo incidents, so the demo opens on a console that is alive: the alerts of the demo story's scenarios
 * (lib/demo/story.ts) go through the real intake path, then responders' notes and status changes are added. The
 * same story drives the demo telemetry, so an incident's charts, its SLOs and the fleet view agree with it. Each
 * scenario is skipped when its alert group already exists, so seeding again creates nothing twice.
 */
import { createHash } from 'node:crypto'
import { ingestAlertmanagerWebhook } from '@/lib/alerts/intake'
import { DEFAULT_ALERT_MAPPING } from '@/lib/alerts/mapping'
import type { AlertmanagerWebhook } from '@/lib/alerts/schemas'
import { demoStory, type PlacedScenario } from '@/lib/demo/story'
import { timestampsForStatus } from '@/lib/incidents/transitions'
import type { PrismaClient } from '@/lib/generated/prisma/client'

function minutesAfter(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000)
}

export function groupKeyOf(placed: PlacedScenario): string {
  return `{}/{}:{pipeline="${placed.scenario.alerts[0]?.labels.pipeline ?? placed.scenario.id}", scenario="${placed.scenario.id}"}`
}

/** The webhook Alertmanager would have sent for the scenario's alerts as they stood at `at`. */
export function webhookFor(placed: PlacedScenario, at: Date): AlertmanagerWebhook | null {
  const alerts = placed.scenario.alerts.filter((a) => minutesAfter(placed.startsAt, a.startsAtMinute) <= at)
  if (alerts.length === 0) return null
  const ended = (a: (typeof alerts)[number]) => a.endsAtMinute !== undefined && minutesAfter(placed.startsAt, a.endsAtMinute) <= at
  const status = alerts.every(ended) ? 'resolved' : 'firing'
  const pipeline = alerts[0].labels.pipeline
  return {
    version: '4',
    receiver: 'firebreak',
    status,
    groupKey: groupKeyOf(placed),
    truncatedAlerts: 0,
    groupLabels: { pipeline },
    commonLabels: { pipeline },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.demo:9093',
    alerts: alerts.map((a) => ({
      status: ended(a) ? 'resolved' : 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: minutesAfter(placed.startsAt, a.startsAtMinute).toISOString(),
      endsAt: ended(a) ? minutesAfter(placed.startsAt, a.endsAtMinute!).toISOString() : undefined,
      generatorURL: `http://prometheus.demo:9090/graph?g0.expr=${encodeURIComponent(a.labels.alertname)}`,
      fingerprint: createHash('sha256').update(JSON.stringify(a.labels)).digest('hex').slice(0, 16),
    })),
  } as AlertmanagerWebhook
}

export async function seedDemoIncidents(db: PrismaClient, epoch: Date): Promise<number> {
  let created = 0
  for (const placed of demoStory(epoch)) {
    const groupKey = groupKeyOf(placed)
    if (await db.incident.findFirst({ where: { groupKey }, select: { id: true } })) continue
    const firstAlertAt = minutesAfter(placed.startsAt, Math.min(...placed.scenario.alerts.map((a) => a.startsAtMinute)))
    // first the alerts as they fired (a moment after the first one), then as they stand at the epoch
    const firing = webhookFor(placed, minutesAfter(firstAlertAt, 1))!
    const result = await ingestAlertmanagerWebhook(db, { ...firing, status: 'firing', alerts: firing.alerts.map((a) => ({ ...a, status: 'firing', endsAt: undefined })) }, DEFAULT_ALERT_MAPPING)
    if (!result.isNewIncident) continue
    created++
    const now = webhookFor(placed, epoch)
    if (now) await ingestAlertmanagerWebhook(db, now, DEFAULT_ALERT_MAPPING)

    const { response } = placed
    const commander = response.commander ? await db.user.findUnique({ where: { email: response.commander } }) : null
    const incident = await db.incident.findUniqueOrThrow({ where: { id: result.incidentId } })
    const at = (minutes: number) => minutesAfter(firstAlertAt, minutes)
    const statusAt = response.resolvedAfterMinutes !== undefined ? at(response.resolvedAfterMinutes) : at(Math.min(5, (epoch.getTime() - firstAlertAt.getTime()) / 60_000 - 1))
    await db.incident.update({
      where: { id: incident.id },
      data: {
        status: response.status,
        commanderId: commander?.id ?? null,
        startedAt: firstAlertAt,
        detectedAt: at(1),
        ...timestampsForStatus({ acknowledgedAt: null, mitigatedAt: null, resolvedAt: null }, response.status, statusAt),
        acknowledgedAt: response.status === 'triggered' ? null : at(2),
      },
    })
    // the alerts "arrived" as they fired, not at seed time
    await db.timelineEntry.updateMany({ where: { incidentId: incident.id, kind: { in: ['opened', 'alert.fired'] } }, data: { at: at(1) } })
    await db.timelineEntry.updateMany({ where: { incidentId: incident.id, kind: 'alert.resolved' }, data: { at: statusAt } })
    const entries = [
      ...(commander ? [{ at: at(2), kind: 'commander', body: `${commander.name} is now commander`, actorName: commander.name, actorId: commander.id }] : []),
      ...(response.status !== 'triggered' && commander ? [{ at: at(2), kind: 'status', body: `Status triggered → ${response.status}`, actorName: commander.name, actorId: commander.id }] : []),
      ...response.notes.map((n) => ({ at: at(n.afterMinutes), kind: 'note', body: n.body, actorName: commander?.name ?? null, actorId: commander?.id ?? null })),
    ]
    if (entries.length) await db.timelineEntry.createMany({ data: entries.map((e) => ({ ...e, incidentId: incident.id })) })
  }
  return created
}
