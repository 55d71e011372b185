import { AppError } from '@/lib/errors'
import type { Actor, RequestContext } from './context'
import { can, PERMISSIONS, type Permission } from './permissions'

/** The server-side check every mutation in lib/ makes first. Middleware and hidden buttons are not enough. */
export function requirePermission(context: RequestContext, permission: Permission): Actor {
  if (!context.actor) throw new AppError('unauthenticated', 'Sign in first: this needs a signed-in user.')
  if (!can(context.actor.role, permission)) {
    throw new AppError('forbidden', `Your role (${context.actor.role}) cannot ${PERMISSIONS[permission]}. Ask an admin if you need it.`)
  }
  return context.actor
}
