import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/tests/db'
import { DEMO_ACCOUNTS, seedDemo } from './seed'

describe('demo seed', () => {
  const { db } = useTestDatabase()
  afterAll(() => db.$disconnect())

  it('creates one user per role the first time and nothing the second time', async () => {
    const first = await seedDemo(db)
    expect(first.usersCreated).toBe(DEMO_ACCOUNTS.length)
    const roles = (await db.user.findMany({ where: { email: { endsWith: '@firebreak.demo' } } })).map((u) => u.role).sort()
    expect(roles).toEqual(['admin', 'editor', 'responder', 'viewer'])
    const auditAfterFirst = await db.auditEvent.count({ where: { action: 'user.create' } })

    expect(first.incidentsCreated).toBeGreaterThanOrEqual(3)
    const incidents = await db.incident.count()
    const alerts = await db.alert.count()
    const timeline = await db.timelineEntry.count()

    const second = await seedDemo(db)
    expect(second).toEqual({ usersCreated: 0, incidentsCreated: 0 })
    expect([await db.incident.count(), await db.alert.count(), await db.timelineEntry.count()]).toEqual([incidents, alerts, timeline])
    expect(await db.user.count({ where: { email: { endsWith: '@firebreak.demo' } } })).toBe(DEMO_ACCOUNTS.length)
    expect(await db.auditEvent.count({ where: { action: 'user.create' } })).toBe(auditAfterFirst)
  })

  it('leaves what a person changed alone when it runs again', async () => {
    await db.user.update({ where: { email: 'viewer@firebreak.demo' }, data: { role: 'responder', disabled: true } })
    await seedDemo(db)
    const viewer = await db.user.findUniqueOrThrow({ where: { email: 'viewer@firebreak.demo' } })
    expect(viewer).toMatchObject({ role: 'responder', disabled: true })
  })

  it('survives two seeders running at once', async () => {
    const results = await Promise.all([seedDemo(db), seedDemo(db)])
    expect(results.every((r) => r.usersCreated === 0 && r.incidentsCreated === 0)).toBe(true)
    expect(await db.user.count({ where: { email: { endsWith: '@firebreak.demo' } } })).toBe(DEMO_ACCOUNTS.length)
  })
})
