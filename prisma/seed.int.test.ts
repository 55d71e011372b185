import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/tests/db'
import { demoStory } from '@/lib/demo/story'
import { DEMO_ACCOUNTS, demoEpoch, seedDemo } from './seed'

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
    expect(second).toEqual({ usersCreated: 0, incidentsCreated: 0, slosCreated: 0 })
    expect([await db.incident.count(), await db.alert.count(), await db.timelineEntry.count()]).toEqual([incidents, alerts, timeline])
    expect(await db.user.count({ where: { email: { endsWith: '@firebreak.demo' } } })).toBe(DEMO_ACCOUNTS.length)
    expect(await db.auditEvent.count({ where: { action: 'user.create' } })).toBe(auditAfterFirst)
  })

  it('tells one story: incidents come from the demo scenarios, placed relative to an epoch that is kept', async () => {
    const epoch = await demoEpoch(db)
    expect(await demoEpoch(db, new Date('2030-01-01T00:00:00Z'))).toEqual(epoch)
    const incidents = await db.incident.findMany({ include: { alerts: true }, orderBy: { startedAt: 'asc' } })
    const byPipeline = Object.fromEntries(incidents.map((i) => [i.pipeline, i])) as Record<string, (typeof incidents)[number]>
    for (const placed of demoStory(epoch)) {
      const incident = byPipeline[placed.scenario.alerts[0].labels.pipeline]
      const firstAlert = Math.min(...placed.scenario.alerts.map((a) => a.startsAtMinute))
      expect(incident.startedAt.getTime()).toBe(placed.startsAt.getTime() + firstAlert * 60_000)
      expect(incident.alerts.map((a) => (a.labels as Record<string, string>).alertname).sort()).toEqual(placed.scenario.alerts.map((a) => a.labels.alertname).sort())
      expect(incident.status).toBe(placed.response.status)
    }
    // the OOM story happens on gpu-node-2, as its telemetry says
    const oom = byPipeline['rag-chat']
    expect(oom.alerts.some((a) => (a.labels as Record<string, string>).node === 'gpu-node-2')).toBe(true)
    expect(await db.slo.count()).toBe(5)
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
