/**
 * Who may delete a case. Pinning and editing are `case:write` (responders and up): cases are curated by the people who
 * work incidents. Deleting removes a snapshot that may be the only copy left of a trace, so it is narrower: the person
 * who pinned (or imported) it, while they still have `case:write`, or a domain expert (editor or admin) curating the
 * library. Pure, so the page hides the button the server would refuse.
 */
import { can, type Role } from '@/lib/auth/permissions'

export const CASE_CURATOR_ROLES: readonly Role[] = ['editor', 'admin']

export function canDeleteCase(actor: { id: string; role: Role }, pinnedById: string | null): boolean {
  if (!can(actor.role, 'case:write')) return false
  return CASE_CURATOR_ROLES.includes(actor.role) || (pinnedById !== null && pinnedById === actor.id)
}
