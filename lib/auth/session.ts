import 'server-only'
import { getServerSession } from 'next-auth'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import type { Actor, RequestContext } from './context'
import { getAuthOptions } from './options'
import { clientAddress } from './request'
import { findActiveActor } from './sign-in'

/**
 * The signed-in user for this request, read from the database each time: the JWT only says who signed in, never
 * what they may do now.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(getAuthOptions())
  const userId = (session?.user as { id?: string } | undefined)?.id
  if (!userId) return null
  return findActiveActor(userId)
})

/**
 * For pages: the actor, or a redirect to sign-in. Every page calls it itself, because Next renders a layout and its
 * page in parallel and a redirect in the layout does not stop the page from running.
 */
export async function requirePageActor(): Promise<Actor> {
  const actor = await getActor()
  if (!actor) redirect('/signin')
  return actor
}

export async function getRequestContext(): Promise<RequestContext> {
  const h = await headers()
  return {
    actor: await getActor(),
    ip: clientAddress(h.get('x-forwarded-for'), h.get('x-real-ip')),
    userAgent: h.get('user-agent') ?? undefined,
  }
}
