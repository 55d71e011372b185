import 'server-only'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { hashToken } from './hash'

export { hashToken }

export const TOKEN_KINDS = ['alertmanager', 'otlp'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100),
  kind: z.enum(TOKEN_KINDS),
})


const publicFields = { id: true, name: true, kind: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true } as const

export async function listTokens(context: RequestContext) {
  requirePermission(context, 'token:manage')
  return getDb().ingestToken.findMany({ select: publicFields, orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }] })
}

export async function createToken(context: RequestContext, input: z.infer<typeof createTokenSchema>) {
  const actor = requirePermission(context, 'token:manage')
  const token = `fbk_${input.kind}_${randomBytes(24).toString('base64url')}`
  const created = await getDb().$transaction(async (tx) => {
    const row = await tx.ingestToken.create({
      data: { name: input.name, kind: input.kind, tokenHash: hashToken(token), prefix: token.slice(0, 16), createdById: actor.id },
      select: publicFields,
    })
    await recordAudit(tx, context, { action: 'token.create', targetType: 'token', targetId: row.id, after: { name: row.name, kind: row.kind, prefix: row.prefix } })
    return row
  })
  return { token: created, secret: token }
}

export async function revokeToken(context: RequestContext, id: string) {
  requirePermission(context, 'token:manage')
  return getDb().$transaction(async (tx) => {
    const before = await tx.ingestToken.findUnique({ where: { id }, select: publicFields })
    if (!before) throw new AppError('not_found', 'No such token.')
    if (before.revokedAt) return before
    const after = await tx.ingestToken.update({ where: { id }, data: { revokedAt: new Date() }, select: publicFields })
    await recordAudit(tx, context, { action: 'token.revoke', targetType: 'token', targetId: id, before: { revokedAt: null }, after: { revokedAt: after.revokedAt } })
    return after
  })
}

/** How often a token's use is written to the audit log: Alertmanager posts every group_interval, forever. */
const USE_RECORD_INTERVAL_MS = 10 * 60_000

/**
 * Checks a machine sender's bearer token. A bad or revoked token is a 401 that will never succeed; a database
 * error propagates so the route can answer 503 and the sender retries.
 */
export async function authenticateIngestToken(authorization: string | null, kind: TokenKind, from: { ip?: string; userAgent?: string }) {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i)
  if (!match) throw new AppError('unauthenticated', `Send the ${kind} token an admin created in Firebreak (Admin → Tokens) as "Authorization: Bearer <token>".`)
  const db = getDb()
  const token = await db.ingestToken.findUnique({ where: { tokenHash: hashToken(match[1]) } })
  if (!token || token.kind !== kind) throw new AppError('unauthenticated', `That token is not a valid ${kind} token. Create one in Admin → Tokens.`)
  if (token.revokedAt) throw new AppError('unauthenticated', 'That token was revoked. Create a new one in Admin → Tokens.')
  const now = new Date()
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > USE_RECORD_INTERVAL_MS) {
    // Conditional update: of concurrent deliveries, one records the use.
    const claimed = await db.ingestToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: token.lastUsedAt }] },
      data: { lastUsedAt: now },
    })
    if (claimed.count === 1) {
      await db.$transaction((tx) =>
        recordAudit(tx, { actor: null, ...from }, { action: 'token.use', targetType: 'token', targetId: token.id, after: { name: token.name, kind } }),
      )
    }
  }
  return { id: token.id, name: token.name }
}
