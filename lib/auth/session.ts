import 'server-only'
import { getServerSession } from 'next-auth'
import { headers } from 'next/headers'
import type { Actor, RequestContext } from './context'
import { getAuthOptions } from './options'
import { clientAddress } from './request'
import { findActiveActor } from './sign-in'

/**
 * The signed-in user for this request, read from the database each time: the JWT only says who signed in, never
 * what they may do now.
 */
export async function getActor(): Promise<Actor | null> {
  const session = await getServerSession(getAuthOptions())
  const userId = (session?.user as { id?: string } | undefined)?.id
  if (!userId) return null
  return findActiveActor(userId)
}

export async function getRequestContext(): Promise<RequestContext> {
  const h = await headers()
  return {
    actor: await getActor(),
    ip: clientAddress(h.get('x-forwarded-for'), h.get('x-real-ip')),
    userAgent: h.get('user-agent') ?? undefined,
  }
}
