import 'server-only'
import { recordAudit } from '@/lib/audit'
import { getDb } from '@/lib/db'
import { getEnv } from '@/lib/env'
import type { Actor } from './context'
import { DUMMY_HASH, verifyPassword } from './passwords'
import { isRole, type Role } from './permissions'
import { evaluateLockout, lockoutMessage } from './rate-limit'

/** Messages the sign-in page shows. One text for a wrong email or password, so neither is revealed. */
export const SIGN_IN_MESSAGES = {
  invalid: 'That email and password do not match an active account.',
  disabled: 'This account is disabled. Ask an admin to enable it.',
} as const

export class SignInRefused extends Error {}

async function countFailures(email: string, ip: string, since: Date) {
  const db = getDb()
  const [pair, address] = await Promise.all([
    db.signInFailure.aggregate({ where: { email, ip, at: { gte: since } }, _count: true, _min: { at: true } }),
    db.signInFailure.aggregate({ where: { ip, at: { gte: since } }, _count: true, _min: { at: true } }),
  ])
  return {
    forAccountFromAddress: pair._count,
    fromAddress: address._count,
    oldestForAccountFromAddress: pair._min.at ?? undefined,
    oldestFromAddress: address._min.at ?? undefined,
  }
}

/** Checks a local password sign-in. Throws SignInRefused with the message to show. */
export async function signInWithPassword(email: string, password: string, ip: string, userAgent?: string): Promise<Actor> {
  const db = getDb()
  const policy = getEnv().signIn
  const now = new Date()
  const since = new Date(now.getTime() - policy.windowMinutes * 60_000)
  const lockout = evaluateLockout(await countFailures(email, ip, since), policy, now)
  if (lockout.isLocked) throw new SignInRefused(lockoutMessage(lockout.retryAfterSeconds))

  const user = await db.user.findUnique({ where: { email } })
  const isMatch = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
  if (!user || !user.passwordHash || !isMatch) {
    await db.$transaction(async (tx) => {
      await tx.signInFailure.create({ data: { email, ip } })
      await recordAudit(tx, { actor: null, ip, userAgent }, { action: 'auth.sign_in_failed', targetType: 'user', targetId: user?.id, after: { email } })
    })
    // Keep the table small: failures older than a day are of no use to the limiter.
    await db.signInFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - 86_400_000) } } })
    throw new SignInRefused(SIGN_IN_MESSAGES.invalid)
  }
  if (user.disabled) throw new SignInRefused(SIGN_IN_MESSAGES.disabled)
  const actor = toActor(user)
  await db.$transaction(async (tx) => {
    await tx.signInFailure.deleteMany({ where: { email, ip } })
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } })
    await recordAudit(tx, { actor, ip, userAgent }, { action: 'auth.sign_in', targetType: 'user', targetId: user.id, after: { method: 'password' } })
  })
  return actor
}

/** First OIDC sign-in creates the account with the configured default role; later ones find it by email. */
export async function signInWithOidc(profile: { email: string; name?: string | null }, defaultRole: Role): Promise<Actor> {
  const db = getDb()
  const email = profile.email.trim().toLowerCase()
  const actor = await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email } })
    if (existing?.disabled) throw new SignInRefused(SIGN_IN_MESSAGES.disabled)
    const user =
      existing ??
      (await tx.user.create({ data: { email, name: profile.name?.trim() || email, role: defaultRole, origin: 'oidc' } }))
    const signedIn = toActor(user)
    if (!existing) {
      await recordAudit(tx, { actor: signedIn }, { action: 'user.create', targetType: 'user', targetId: user.id, after: { email, role: user.role, origin: 'oidc' } })
    }
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } })
    await recordAudit(tx, { actor: signedIn }, { action: 'auth.sign_in', targetType: 'user', targetId: user.id, after: { method: 'oidc' } })
    return signedIn
  })
  return actor
}

/** The session's user as of now: a disabled account or a changed role counts on the very next request. */
export async function findActiveActor(userId: string): Promise<Actor | null> {
  const user = await getDb().user.findUnique({ where: { id: userId } })
  if (!user || user.disabled) return null
  return toActor(user)
}

function toActor(user: { id: string; email: string; name: string; role: string }): Actor {
  if (!isRole(user.role)) throw new Error(`user ${user.id} has an unknown role`)
  return { id: user.id, email: user.email, name: user.name, role: user.role }
}
