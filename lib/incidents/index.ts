import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import type { DeclareIncidentInput, TimelineEntryInput, UpdateIncidentInput } from './schemas'
import { timestampsForStatus } from './transitions'

const person = { select: { id: true, name: true, email: true } } as const

const incidentFields = {
  id: true,
  number: true,
  title: true,
  severity: true,
  status: true,
  source: true,
  groupKey: true,
  pipeline: true,
  models: true,
  startedAt: true,
  detectedAt: true,
  acknowledgedAt: true,
  mitigatedAt: true,
  resolvedAt: true,
  errorState: true,
  pathway: true,
  failureClass: true,
  classifiedAt: true,
  truncatedAlerts: true,
  updatedAt: true,
  commander: person,
  scribe: person,
} as const

export async function listIncidents(context: RequestContext, query: { status: 'open' | 'resolved' | 'all'; limit: number }) {
  requirePermission(context, 'console:read')
  const db = getDb()
  const where: Prisma.IncidentWhereInput =
    query.status === 'open' ? { status: { not: 'resolved' } } : query.status === 'resolved' ? { status: 'resolved' } : {}
  const incidents = await db.incident.findMany({
    where,
    select: incidentFields,
    orderBy: query.status === 'resolved' ? [{ resolvedAt: 'desc' }] : [{ severity: 'asc' }, { detectedAt: 'desc' }],
    take: query.limit,
  })
  const counts = incidents.length
    ? await db.alert.groupBy({ by: ['incidentId'], where: { incidentId: { in: incidents.map((i) => i.id) }, status: 'firing' }, _count: true })
    : []
  const firing = new Map(counts.map((c) => [c.incidentId, c._count]))
  return incidents.map((incident) => ({ ...incident, firingAlerts: firing.get(incident.id) ?? 0 }))
}

async function findByNumber(number: number) {
  const incident = await getDb().incident.findUnique({ where: { number }, select: incidentFields })
  if (!incident) throw new AppError('not_found', `There is no incident INC-${number}.`)
  return incident
}

export async function getIncident(context: RequestContext, number: number) {
  requirePermission(context, 'console:read')
  const db = getDb()
  const incident = await findByNumber(number)
  const [groups, timeline] = await Promise.all([
    db.alert.groupBy({ by: ['alertname', 'status'], where: { incidentId: incident.id }, _count: true, orderBy: { alertname: 'asc' } }),
    db.timelineEntry.findMany({ where: { incidentId: incident.id }, orderBy: { id: 'desc' }, take: 1000 }),
  ])
  const byName = new Map<string, { alertname: string; firing: number; resolved: number }>()
  for (const g of groups) {
    const entry = byName.get(g.alertname) ?? { alertname: g.alertname, firing: 0, resolved: 0 }
    if (g.status === 'firing') entry.firing += g._count
    else entry.resolved += g._count
    byName.set(g.alertname, entry)
  }
  return {
    incident,
    alertGroups: [...byName.values()].sort((a, b) => b.firing - a.firing || a.alertname.localeCompare(b.alertname)),
    timeline: timeline.reverse().map((e) => ({ ...e, id: e.id.toString() })),
  }
}

export async function listIncidentAlerts(
  context: RequestContext,
  number: number,
  query: { alertname?: string; status: 'firing' | 'resolved' | 'all'; page: number; pageSize: number },
) {
  requirePermission(context, 'console:read')
  const incident = await findByNumber(number)
  const where: Prisma.AlertWhereInput = {
    incidentId: incident.id,
    ...(query.alertname ? { alertname: query.alertname } : {}),
    ...(query.status !== 'all' ? { status: query.status } : {}),
  }
  const db = getDb()
  const [total, alerts] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({ where, orderBy: [{ status: 'asc' }, { startsAt: 'desc' }, { id: 'asc' }], skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
  ])
  return { total, page: query.page, pageSize: query.pageSize, alerts: alerts.map((a) => ({ ...a, id: a.id.toString() })) }
}

export async function declareIncident(context: RequestContext, input: DeclareIncidentInput) {
  const actor = requirePermission(context, 'incident:write')
  return getDb().$transaction(async (tx) => {
    const now = new Date()
    const incident = await tx.incident.create({
      data: {
        title: input.title,
        severity: input.severity,
        status: 'investigating',
        source: 'declared',
        pipeline: input.pipeline ?? null,
        models: input.models ?? [],
        startedAt: now,
        detectedAt: now,
        acknowledgedAt: now,
        commanderId: actor.id,
      },
      select: { id: true, number: true, title: true, severity: true },
    })
    await tx.timelineEntry.create({
      data: {
        incidentId: incident.id,
        kind: 'declared',
        actorId: actor.id,
        actorName: actor.name,
        body: `Declared by ${actor.name} as ${input.severity}; ${actor.name} is commander${input.summary ? `. ${input.summary}` : ''}`,
      },
    })
    await recordAudit(tx, context, { action: 'incident.declare', targetType: 'incident', targetId: incident.id, after: incident })
    return incident
  })
}

export async function updateIncident(context: RequestContext, number: number, input: UpdateIncidentInput) {
  const actor = requirePermission(context, 'incident:write')
  const db = getDb()
  try {
    return await db.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM incidents WHERE number = ${number} FOR UPDATE`
      if (!locked) throw new AppError('not_found', `There is no incident INC-${number}.`)
      const before = await tx.incident.findUniqueOrThrow({ where: { id: locked.id }, select: incidentFields })
      const data: Prisma.IncidentUncheckedUpdateInput = {}
      const entries: { kind: string; body: string; data?: object }[] = []
      const now = new Date()

      if (input.status && input.status !== before.status) {
        Object.assign(data, { status: input.status }, timestampsForStatus(before, input.status, now))
        entries.push({ kind: 'status', body: `Status ${before.status} → ${input.status}`, data: { from: before.status, to: input.status } })
      }
      if (input.severity && input.severity !== before.severity) {
        data.severity = input.severity
        entries.push({ kind: 'severity', body: `Severity ${before.severity} → ${input.severity}`, data: { from: before.severity, to: input.severity } })
      }
      if (input.title && input.title !== before.title) {
        data.title = input.title
        entries.push({ kind: 'title', body: `Title changed to “${input.title}”`, data: { from: before.title, to: input.title } })
      }
      for (const role of ['commander', 'scribe'] as const) {
        const requested = input[`${role}Id`]
        if (requested === undefined) continue
        const userId = requested === 'me' ? actor.id : requested
        if ((before[role]?.id ?? null) === userId) continue
        const user = userId ? await tx.user.findFirst({ where: { id: userId, disabled: false }, select: { id: true, name: true } }) : null
        if (userId && !user) throw new AppError('bad_request', `No active user ${userId} to make ${role}.`)
        data[`${role}Id`] = user?.id ?? null
        entries.push({ kind: role, body: user ? `${user.name} is now ${role}` : `${role} cleared`, data: { from: before[role]?.name ?? null, to: user?.name ?? null } })
      }
      if (entries.length === 0) return before

      const after = await tx.incident.update({ where: { id: before.id }, data, select: incidentFields })
      await tx.timelineEntry.createMany({
        data: entries.map((e) => ({ incidentId: before.id, kind: e.kind, body: e.body, data: e.data, actorId: actor.id, actorName: actor.name })),
      })
      await recordAudit(tx, context, {
        action: 'incident.update',
        targetType: 'incident',
        targetId: before.id,
        before: pickChanged(before, input),
        after: pickChanged(after, input),
      })
      return after
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', 'Another open incident already tracks this alert group; reopen is not possible until it is resolved.')
    }
    throw error
  }
}

function pickChanged(incident: { status: string; severity: string; title: string; commander: { name: string } | null; scribe: { name: string } | null }, input: UpdateIncidentInput) {
  return {
    ...(input.status ? { status: incident.status } : {}),
    ...(input.severity ? { severity: incident.severity } : {}),
    ...(input.title ? { title: incident.title } : {}),
    ...(input.commanderId !== undefined ? { commander: incident.commander?.name ?? null } : {}),
    ...(input.scribeId !== undefined ? { scribe: incident.scribe?.name ?? null } : {}),
  }
}

export async function addTimelineEntry(context: RequestContext, number: number, input: TimelineEntryInput) {
  const actor = requirePermission(context, 'incident:write')
  return getDb().$transaction(async (tx) => {
    const incident = await tx.incident.findUnique({ where: { number }, select: { id: true } })
    if (!incident) throw new AppError('not_found', `There is no incident INC-${number}.`)
    const entry = await tx.timelineEntry.create({
      data: {
        incidentId: incident.id,
        kind: input.kind,
        body: input.body,
        data: input.kind === 'link' ? { url: input.url } : undefined,
        actorId: actor.id,
        actorName: actor.name,
      },
    })
    await recordAudit(tx, context, { action: `incident.${input.kind}`, targetType: 'incident', targetId: incident.id, after: { body: input.body.slice(0, 500), ...(input.kind === 'link' ? { url: input.url } : {}) } })
    return { ...entry, id: entry.id.toString() }
  })
}

export async function listAssignableUsers(context: RequestContext) {
  requirePermission(context, 'console:read')
  return getDb().user.findMany({ where: { disabled: false, role: { not: 'viewer' } }, select: { id: true, name: true, email: true }, orderBy: { name: 'asc' } })
}
