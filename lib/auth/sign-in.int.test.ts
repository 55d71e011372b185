import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/tests/db'
import { hashPassword } from './passwords'
import { findActiveActor, SIGN_IN_MESSAGES, signInWithOidc, signInWithPassword } from './sign-in'

describe('sign-in against the database', () => {
  const { db } = useTestDatabase()
  beforeAll(async () => {
    const passwordHash = await hashPassword('correct horse battery')
    await db.user.createMany({
      data: [
        { id: 'si-ana', email: 'ana@example.com', name: 'Ana', role: 'responder', passwordHash },
        { id: 'si-bo', email: 'bo@example.com', name: 'Bo', role: 'viewer', passwordHash, disabled: true },
        { id: 'si-cy', email: 'cy@example.com', name: 'Cy', role: 'viewer', passwordHash },
      ],
    })
  })
  afterAll(() => db.$disconnect())

  it('signs in with the right password and records it', async () => {
    const actor = await signInWithPassword('ana@example.com', 'correct horse battery', '198.51.100.1')
    expect(actor).toMatchObject({ id: 'si-ana', role: 'responder' })
    expect(await db.auditEvent.count({ where: { action: 'auth.sign_in', targetId: 'si-ana' } })).toBe(1)
  })

  it('gives one message for a wrong password and an unknown email', async () => {
    await expect(signInWithPassword('ana@example.com', 'wrong', '198.51.100.2')).rejects.toThrow(SIGN_IN_MESSAGES.invalid)
    await expect(signInWithPassword('nobody@example.com', 'wrong', '198.51.100.2')).rejects.toThrow(SIGN_IN_MESSAGES.invalid)
  })

  it('refuses a disabled account', async () => {
    await expect(signInWithPassword('bo@example.com', 'correct horse battery', '198.51.100.3')).rejects.toThrow(SIGN_IN_MESSAGES.disabled)
  })

  it('locks an account from one address after repeated failures, even for the right password, but not from elsewhere', async () => {
    for (let i = 0; i < 5; i++) await expect(signInWithPassword('cy@example.com', `guess-${i}`, '203.0.113.9')).rejects.toThrow(SIGN_IN_MESSAGES.invalid)
    await expect(signInWithPassword('cy@example.com', 'correct horse battery', '203.0.113.9')).rejects.toThrow(/Too many failed sign-ins/)
    await expect(signInWithPassword('cy@example.com', 'correct horse battery', '203.0.113.10')).resolves.toMatchObject({ id: 'si-cy' })
  })

  it('sees a role change or a disabled flag on the next request', async () => {
    expect(await findActiveActor('si-ana')).toMatchObject({ role: 'responder' })
    await db.user.update({ where: { id: 'si-ana' }, data: { role: 'editor' } })
    expect(await findActiveActor('si-ana')).toMatchObject({ role: 'editor' })
    await db.user.update({ where: { id: 'si-ana' }, data: { disabled: true } })
    expect(await findActiveActor('si-ana')).toBeNull()
  })

  it('creates an OIDC user on first sign-in with the default role, and finds it the next time', async () => {
    const first = await signInWithOidc({ email: 'Dee@SSO.example', name: 'Dee' }, 'viewer')
    const second = await signInWithOidc({ email: 'dee@sso.example', name: 'Dee' }, 'admin')
    expect(second.id).toBe(first.id)
    expect(second.role).toBe('viewer')
    expect(await db.user.findUniqueOrThrow({ where: { email: 'dee@sso.example' } })).toMatchObject({ origin: 'oidc', passwordHash: null })
  })
})
