import { describe, expect, it } from 'vitest'
import { describeChange } from './change'

describe('audit change summary', () => {
  it('lists only the fields that changed', () => {
    const before = { id: 'u1', email: 'a@example.com', role: 'viewer', disabled: false, lastSignInAt: null }
    const after = { ...before, role: 'responder', disabled: true }
    expect(describeChange(before, after)).toEqual([
      { field: 'role', before: 'viewer', after: 'responder' },
      { field: 'disabled', before: 'false', after: 'true' },
    ])
  })

  it('shows every field of a creation as added, without internal ids and timestamps', () => {
    expect(describeChange(null, { id: 'u2', email: 'b@example.com', role: 'editor', createdAt: '2026-11-22T00:00:00Z' })).toEqual([
      { field: 'email', after: 'b@example.com' },
      { field: 'role', after: 'editor' },
    ])
  })

  it('is empty when nothing changed', () => {
    expect(describeChange({ role: 'viewer' }, { role: 'viewer' })).toEqual([])
  })
})
