import { describe, expect, it } from 'vitest'
import { can, PERMISSIONS, permissionsOf, ROLES, type Permission } from './permissions'

describe('permission model', () => {
  it('lets a viewer read and nothing else', () => {
    expect(permissionsOf('viewer')).toEqual(['console:read'])
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      expect(can('viewer', permission)).toBe(permission === 'console:read')
    }
  })

  it('lets a responder work incidents but not edit runbooks or manage users', () => {
    expect(can('responder', 'incident:write')).toBe(true)
    expect(can('responder', 'postmortem:write')).toBe(true)
    expect(can('responder', 'runbook:write')).toBe(false)
    expect(can('responder', 'user:manage')).toBe(false)
  })

  it('lets an editor write runbooks and SLOs but not administer', () => {
    expect(can('editor', 'runbook:write')).toBe(true)
    expect(can('editor', 'slo:write')).toBe(true)
    expect(can('editor', 'incident:write')).toBe(true)
    expect(can('editor', 'user:manage')).toBe(false)
    expect(can('editor', 'audit:read')).toBe(false)
    expect(can('editor', 'token:manage')).toBe(false)
  })

  it('gives an admin every permission', () => {
    expect(permissionsOf('admin').sort()).toEqual((Object.keys(PERMISSIONS) as Permission[]).sort())
  })

  it('orders roles so each holds at least what the one before it holds', () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = permissionsOf(ROLES[i - 1])
      const higher = new Set(permissionsOf(ROLES[i]))
      expect(lower.filter((p) => !higher.has(p))).toEqual([])
      expect(higher.size).toBeGreaterThan(lower.length)
    }
  })
})
