import { describe, expect, it } from 'vitest'
import { canDeleteCase } from './permissions'

describe('who may delete a case', () => {
  it('is the pinner (still a responder) or an editor, never a viewer', () => {
    expect(canDeleteCase({ id: 'u1', role: 'responder' }, 'u1')).toBe(true)
    expect(canDeleteCase({ id: 'u2', role: 'responder' }, 'u1')).toBe(false)
    expect(canDeleteCase({ id: 'u2', role: 'editor' }, 'u1')).toBe(true)
    expect(canDeleteCase({ id: 'u2', role: 'admin' }, null)).toBe(true)
    expect(canDeleteCase({ id: 'u1', role: 'viewer' }, 'u1')).toBe(false)
    expect(canDeleteCase({ id: 'u1', role: 'responder' }, null)).toBe(false)
  })
})
