import type { Role } from './permissions'

/** The signed-in user as the server sees them on this request, freshly read from the database. */
export interface Actor {
  id: string
  email: string
  name: string
  role: Role
}

/** Who is asking and from where: passed to every mutation so it can check permissions and write the audit log. */
export interface RequestContext {
  actor: Actor | null
  ip?: string
  userAgent?: string
}
