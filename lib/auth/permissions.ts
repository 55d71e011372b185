/**
 * The permission model: which role may do what. Pure, so it is unit-tested and shared by the server checks
 * (lib/auth/session.ts) and the UI (which only hides what the server would refuse anyway).
 */
export const ROLES = ['viewer', 'responder', 'editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const PERMISSIONS = {
  // everyone signed in
  'console:read': 'read incidents, telemetry, runbooks, cases and postmortems',
  // on-call work
  'incident:write': 'open, update and resolve incidents, add notes, run the wizard',
  'postmortem:write': 'write postmortems and action items',
  'case:write': 'pin traces as failure cases',
  // domain experts
  'runbook:write': 'edit runbooks and submit revisions',
  'runbook:publish': 'review and publish runbook revisions',
  'slo:write': 'define and edit SLOs',
  // administration
  'user:manage': 'invite users, change roles, disable accounts',
  'token:manage': 'create and revoke machine tokens (Alertmanager, OTLP)',
  'audit:read': 'read the audit log',
} as const
export type Permission = keyof typeof PERMISSIONS

const RESPONDER: Permission[] = ['console:read', 'incident:write', 'postmortem:write', 'case:write']
const EDITOR: Permission[] = [...RESPONDER, 'runbook:write', 'runbook:publish', 'slo:write']

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(['console:read']),
  responder: new Set(RESPONDER),
  editor: new Set(EDITOR),
  admin: new Set(Object.keys(PERMISSIONS) as Permission[]),
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'reads everything, changes nothing',
  responder: 'works incidents: status, notes, wizard, postmortems, cases',
  editor: 'a responder who also writes and publishes runbooks and SLOs',
  admin: 'everything, plus users, tokens and the audit log',
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission)
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]]
}
