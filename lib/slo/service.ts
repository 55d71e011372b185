import 'server-only'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import type { AlertingPreset } from './burn-rate'
import type { EvaluableSlo } from './evaluate'
import { importOpenSlo, OpenSloImportError } from './openslo'
import { sliSchema, type SloInput, type SloUpdate } from './schemas'

const sloFields = {
  id: true,
  name: true,
  displayName: true,
  service: true,
  description: true,
  objective: true,
  periodDays: true,
  sli: true,
  alerting: true,
  minEvents: true,
  origin: true,
  version: true,
  updatedAt: true,
} as const

type SloRow = Prisma.SloGetPayload<{ select: typeof sloFields }>

export type StoredSlo = EvaluableSlo & { id: string; origin: string; version: number; updatedAt: Date }

export function toStoredSlo(row: SloRow): StoredSlo {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    service: row.service,
    description: row.description ?? undefined,
    objective: row.objective,
    periodDays: row.periodDays,
    sli: sliSchema.parse(row.sli),
    alerting: row.alerting as AlertingPreset,
    minEvents: row.minEvents,
    origin: row.origin,
    version: row.version,
    updatedAt: row.updatedAt,
  }
}

export async function listSlos(context: RequestContext): Promise<StoredSlo[]> {
  requirePermission(context, 'console:read')
  const rows = await getDb().slo.findMany({ select: sloFields, orderBy: [{ service: 'asc' }, { name: 'asc' }] })
  return rows.map(toStoredSlo)
}

export async function getSlo(context: RequestContext, name: string): Promise<StoredSlo> {
  requirePermission(context, 'console:read')
  const row = await getDb().slo.findUnique({ where: { name }, select: sloFields })
  if (!row) throw new AppError('not_found', `There is no SLO named “${name}”.`)
  return toStoredSlo(row)
}

function data(input: Omit<SloInput, 'name'>) {
  return {
    displayName: input.displayName,
    service: input.service,
    description: input.description ?? null,
    objective: input.objective,
    periodDays: input.periodDays,
    sli: input.sli as Prisma.InputJsonValue,
    alerting: input.alerting,
    minEvents: input.minEvents,
  }
}

export async function createSlo(context: RequestContext, input: SloInput): Promise<StoredSlo> {
  requirePermission(context, 'slo:write')
  try {
    return await getDb().$transaction(async (tx) => {
      const row = await tx.slo.create({ data: { name: input.name, origin: 'app', ...data(input) }, select: sloFields })
      await recordAudit(tx, context, { action: 'slo.create', targetType: 'slo', targetId: row.id, after: row })
      return toStoredSlo(row)
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('conflict', `An SLO named “${input.name}” already exists: choose another name or edit that one.`)
    throw error
  }
}

/** Saves on top of the version the editor started from; a concurrent save in between gets 409 with the current one. */
export async function updateSlo(context: RequestContext, name: string, input: SloUpdate): Promise<StoredSlo> {
  requirePermission(context, 'slo:write')
  return getDb().$transaction(async (tx) => {
    const before = await tx.slo.findUnique({ where: { name }, select: sloFields })
    if (!before) throw new AppError('not_found', `There is no SLO named “${name}”.`)
    const { count } = await tx.slo.updateMany({ where: { name, version: input.version }, data: { ...data(input), version: { increment: 1 } } })
    if (count === 0) {
      throw new AppError('conflict', `Someone saved “${before.displayName}” while you were editing (version ${before.version}, you started from ${input.version}). Reload to see their change, then apply yours again.`, {
        details: { current: toStoredSlo(before) },
      })
    }
    const after = await tx.slo.findUniqueOrThrow({ where: { name }, select: sloFields })
    await recordAudit(tx, context, { action: 'slo.update', targetType: 'slo', targetId: after.id, before, after })
    return toStoredSlo(after)
  })
}

export async function deleteSlo(context: RequestContext, name: string): Promise<void> {
  requirePermission(context, 'slo:write')
  await getDb().$transaction(async (tx) => {
    const before = await tx.slo.findUnique({ where: { name }, select: sloFields })
    if (!before) throw new AppError('not_found', `There is no SLO named “${name}”.`)
    await tx.slo.delete({ where: { name } })
    await recordAudit(tx, context, { action: 'slo.delete', targetType: 'slo', targetId: before.id, before })
  })
}

/**
 * Imports every SLO of an OpenSLO file in one transaction: new names are created, existing ones updated (a file in
 * Git stays the source of truth). A file with any error imports nothing and says where each error is.
 */
export async function importSlos(context: RequestContext, yaml: string): Promise<{ created: string[]; updated: string[] }> {
  requirePermission(context, 'slo:write')
  let definitions
  try {
    definitions = importOpenSlo(yaml)
  } catch (error) {
    if (error instanceof OpenSloImportError) {
      throw new AppError('bad_request', `The file has ${error.problems.length === 1 ? 'an error' : `${error.problems.length} errors`}; nothing was imported.`, {
        issues: error.problems.map((p) => ({ path: `line ${p.line}: ${p.field}`, message: p.message })),
      })
    }
    throw error
  }
  if (definitions.length === 0) throw new AppError('bad_request', 'The file holds no OpenSLO SLO documents; nothing was imported.')
  const names = definitions.map((d) => d.name)
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate) throw new AppError('bad_request', `The file defines “${duplicate}” twice; nothing was imported.`)
  return getDb().$transaction(async (tx) => {
    const created: string[] = []
    const updated: string[] = []
    for (const d of definitions) {
      const fields = { displayName: d.displayName, service: d.service, description: d.description ?? null, objective: d.objective, periodDays: Math.max(1, Math.round(d.periodDays)), sli: d.sli as Prisma.InputJsonValue }
      const existing = await tx.slo.findUnique({ where: { name: d.name }, select: sloFields })
      if (existing) {
        const after = await tx.slo.update({ where: { name: d.name }, data: { ...fields, origin: 'openslo', version: { increment: 1 } }, select: sloFields })
        await recordAudit(tx, context, { action: 'slo.import', targetType: 'slo', targetId: after.id, before: existing, after })
        updated.push(d.name)
      } else {
        const after = await tx.slo.create({ data: { name: d.name, origin: 'openslo', ...fields }, select: sloFields })
        await recordAudit(tx, context, { action: 'slo.import', targetType: 'slo', targetId: after.id, after })
        created.push(d.name)
      }
    }
    return { created, updated }
  })
}

/** Incidents on the SLO's pipeline that overlap [start, end]: the markers on its charts. */
export async function incidentsForService(context: RequestContext, service: string, start: Date, end: Date) {
  requirePermission(context, 'console:read')
  return getDb().incident.findMany({
    where: { pipeline: service, startedAt: { lte: end }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: start } }] },
    select: { number: true, title: true, severity: true, status: true, startedAt: true, resolvedAt: true },
    orderBy: { startedAt: 'asc' },
    take: 50,
  })
}
