import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import { AppError } from '@/lib/errors'
import { createUser, updateUser } from '@/lib/users'
import { useTestDatabase } from '@/tests/db'
import { readAuditLog, recordAudit } from './index'

const admin: RequestContext = {
  actor: { id: 'it-admin', email: 'it-admin@example.com', name: 'IT Admin', role: 'admin' },
  ip: '192.0.2.10',
  userAgent: 'vitest',
}
const viewer: RequestContext = { actor: { id: 'it-viewer', email: 'it-viewer@example.com', name: 'IT Viewer', role: 'viewer' }, ip: '192.0.2.11' }

describe('audit log', () => {
  const { db } = useTestDatabase()
  beforeAll(async () => {
    await db.user.create({ data: { id: 'it-admin', email: 'it-admin@example.com', name: 'IT Admin', role: 'admin' } })
  })
  afterAll(() => db.$disconnect())

  it('records who changed what, before and after, and from where, for a role change', async () => {
    const { user } = await createUser(admin, { email: 'new.responder@example.com', name: 'New Responder', role: 'responder' })
    await updateUser(admin, user.id, { role: 'editor' })
    const { events } = await readAuditLog(admin, { limit: 10, action: 'user.update' })
    const change = events.find((e) => e.targetId === user.id)!
    expect(change).toMatchObject({ actorEmail: 'it-admin@example.com', ip: '192.0.2.10', userAgent: 'vitest', targetType: 'user' })
    expect(change.before).toMatchObject({ role: 'responder' })
    expect(change.after).toMatchObject({ role: 'editor' })
  })

  it('cannot be updated, deleted or truncated, even by a direct database client', async () => {
    await db.$transaction((tx) => recordAudit(tx, admin, { action: 'test.entry', targetType: 'test' }))
    const entry = await db.auditEvent.findFirstOrThrow({ where: { action: 'test.entry' } })
    await expect(db.auditEvent.update({ where: { id: entry.id }, data: { action: 'test.rewritten' } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/)
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/)
    await expect(db.$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(/append-only/)
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({ action: 'test.entry' })
  })

  it('refuses a viewer, writing nothing', async () => {
    const before = await db.auditEvent.count()
    const users = await db.user.count()
    await expect(createUser(viewer, { email: 'sneaky@example.com', name: 'Sneaky', role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(readAuditLog(viewer, { limit: 10 })).rejects.toBeInstanceOf(AppError)
    expect(await db.auditEvent.count()).toBe(before)
    expect(await db.user.count()).toBe(users)
  })

  it('rolls back the change when its audit entry cannot be written, so no change goes unrecorded', async () => {
    const { user } = await createUser(admin, { email: 'rollback@example.com', name: 'Rollback', role: 'viewer' })
    // PostgreSQL cannot store a NUL character in text, so the audit insert fails after the user update succeeded.
    const unrecordable: RequestContext = { ...admin, userAgent: 'agent\u0000with-nul' }
    await expect(updateUser(unrecordable, user.id, { role: 'editor' })).rejects.toThrow()
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('viewer')
  })

  it('keeps the last active admin and refuses self-demotion', async () => {
    await expect(updateUser(admin, 'it-admin', { role: 'viewer' })).rejects.toMatchObject({ code: 'conflict' })
    expect((await db.user.findUniqueOrThrow({ where: { id: 'it-admin' } })).role).toBe('admin')
  })

  it('pages backwards through the log with a stable cursor', async () => {
    const first = await readAuditLog(admin, { limit: 2 })
    expect(first.events).toHaveLength(2)
    expect(first.nextBefore).not.toBeNull()
    const second = await readAuditLog(admin, { limit: 2, before: BigInt(first.nextBefore!) })
    expect(BigInt(second.events[0].id)).toBeLessThan(BigInt(first.events[1].id))
  })
})
