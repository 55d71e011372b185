import 'server-only'
import { getDb, Prisma } from '@/lib/db'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'

/** What a mutation records: who did what to which thing, the state before and after, when and from where. */
export interface AuditEntry {
  action: string
  targetType: string
  targetId?: string | null
  before?: unknown
  after?: unknown
}

type Tx = Pick<Prisma.TransactionClient, 'auditEvent'>

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined || value === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue)
}

/** Appends one entry. Call it inside the mutation's transaction so the change and its record commit together. */
export async function recordAudit(tx: Tx, context: RequestContext, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: context.actor?.id ?? null,
      actorEmail: context.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      ip: context.ip ?? null,
      userAgent: context.userAgent?.slice(0, 400) ?? null,
    },
  })
}

export interface AuditQuery {
  limit: number
  before?: bigint
  action?: string
  actor?: string
}

export async function readAuditLog(context: RequestContext, query: AuditQuery) {
  requirePermission(context, 'audit:read')
  const rows = await getDb().auditEvent.findMany({
    where: {
      ...(query.before ? { id: { lt: query.before } } : {}),
      ...(query.action ? { action: { startsWith: query.action } } : {}),
      ...(query.actor ? { actorEmail: { contains: query.actor, mode: 'insensitive' as const } } : {}),
    },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  })
  const page = rows.slice(0, query.limit)
  return {
    events: page.map((row) => ({ ...row, id: row.id.toString(), at: row.at.toISOString() })),
    nextBefore: rows.length > query.limit ? page[page.length - 1].id.toString() : null,
  }
}
