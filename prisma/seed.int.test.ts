import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/tests/db'
import { demoStory } from '@/lib/demo/story'
import { demoTraces } from '@/lib/demo/traces'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { detectFindings } from '@/lib/traces/detectors'
import { StoredTraceSource } from '@/lib/traces/store/source'
import { groupKeyOf } from './demo-incidents'
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
    expect(second).toEqual({ usersCreated: 0, incidentsCreated: 0, slosCreated: 0, casesCreated: 0 })
    expect([await db.incident.count(), await db.alert.count(), await db.timelineEntry.count()]).toEqual([incidents, alerts, timeline])
    expect(await db.user.count({ where: { email: { endsWith: '@firebreak.demo' } } })).toBe(DEMO_ACCOUNTS.length)
    expect(await db.auditEvent.count({ where: { action: 'user.create' } })).toBe(auditAfterFirst)
  })

  it('tells one story: incidents come from the demo scenarios, placed relative to an epoch that is kept', async () => {
    const epoch = await demoEpoch(db)
    expect(await demoEpoch(db, new Date('2030-01-01T00:00:00Z'))).toEqual(epoch)
    // other test files share this database and open incidents of their own: find the demo's by their alert group
    const seeded = async (placed: ReturnType<typeof demoStory>[number]) => db.incident.findFirstOrThrow({ where: { groupKey: groupKeyOf(placed) }, include: { alerts: true } })
    for (const placed of demoStory(epoch)) {
      const incident = await seeded(placed)
      const firstAlert = Math.min(...placed.scenario.alerts.map((a) => a.startsAtMinute))
      expect(incident.startedAt.getTime()).toBe(placed.startsAt.getTime() + firstAlert * 60_000)
      expect(incident.pipeline).toBe(placed.scenario.alerts[0].labels.pipeline)
      expect(incident.alerts.map((a) => (a.labels as Record<string, string>).alertname).sort()).toEqual(placed.scenario.alerts.map((a) => a.labels.alertname).sort())
      expect(incident.status).toBe(placed.response.status)
    }
    // the OOM story happens on gpu-node-2, as its telemetry says
    const oom = await seeded(demoStory(epoch)[0])
    expect(oom.alerts.some((a) => (a.labels as Record<string, string>).node === 'gpu-node-2')).toBe(true)
    // the story's traces are stored, their detectors point at the story's causes, and one is pinned on its incident
    const traces = demoTraces(epoch)
    const source = new StoredTraceSource(db)
    const findingsOf = async (key: string) => {
      const stored = await source.getTrace(traces.find((t) => t.key === key)!.trace.traceId)
      return detectFindings(stored!, DEFAULT_TRACE_CONFIG).map((f) => f.failureClass)
    }
    expect(await findingsOf('rag-chat')).toContain('context-window-overflow')
    expect(await findingsOf('summarizer')).toContain('token-budget-exhaustion')
    expect(await findingsOf('doc-qa')).toEqual([])
    const pinned = await db.traceCase.findFirstOrThrow({ where: { traceId: traces.find((t) => t.key === 'summarizer')!.trace.traceId }, include: { incidents: { include: { incident: true } } } })
    expect(pinned.incidents.map((l) => l.incident.groupKey)).toEqual([groupKeyOf(demoStory(epoch)[1])])
    expect(await db.slo.count({ where: { name: { in: ['rag-chat-availability', 'rag-chat-ttft', 'summarizer-complete-answers', 'doc-qa-availability', 'gpu-memory-headroom'] } } })).toBe(5)
  })

  it('leaves what a person changed alone when it runs again', async () => {
    await db.user.update({ where: { email: 'viewer@firebreak.demo' }, data: { role: 'responder', disabled: true } })
    await seedDemo(db)
    const viewer = await db.user.findUniqueOrThrow({ where: { email: 'viewer@firebreak.demo' } })
    expect(viewer).toMatchObject({ role: 'responder', disabled: true })
  })

  it('survives two seeders running at once', async () => {
    const results = await Promise.all([seedDemo(db), seedDemo(db)])
    expect(results.every((r) => r.usersCreated === 0 && r.incidentsCreated === 0 && r.casesCreated === 0)).toBe(true)
    expect(await db.user.count({ where: { email: { endsWith: '@firebreak.demo' } } })).toBe(DEMO_ACCOUNTS.length)
  })
})
