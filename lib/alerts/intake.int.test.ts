import { afterAll, describe, expect, it } from 'vitest'
import { alertGroup } from '@/tests/alert-payloads'
import { useTestDatabase } from '@/tests/db'
import { ingestAlertmanagerWebhook } from './intake'
import { DEFAULT_ALERT_MAPPING } from './mapping'

describe('alert intake into incidents', () => {
  const { db } = useTestDatabase()
  afterAll(() => db.$disconnect())
  const ingest = (payload: ReturnType<typeof alertGroup>, mapping = DEFAULT_ALERT_MAPPING) => ingestAlertmanagerWebhook(db, payload, mapping)
  const incidentsOf = (groupKey: string) => db.incident.findMany({ where: { groupKey }, include: { timeline: true, alerts: true } })

  it('opens one incident with its alerts and a timeline that says what fired', async () => {
    const result = await ingest(alertGroup({ groupKey: 'g-open', count: 3 }))
    expect(result).toMatchObject({ isNewIncident: true, alertsNew: 3 })
    const [incident] = await incidentsOf('g-open')
    expect(incident).toMatchObject({ severity: 'SEV1', status: 'triggered', pipeline: 'rag-chat', models: ['llama-3-70b-instruct'], title: 'VLLMTimeToFirstTokenHigh on rag-chat' })
    expect(incident.startedAt.toISOString()).toBe('2026-11-22T03:00:00.000Z')
    expect(incident.timeline.map((e) => e.body)).toEqual(['Opened from Alertmanager (receiver firebreak)', '3 alerts fired: VLLMTimeToFirstTokenHigh ×3'])
  })

  it('changes nothing when the same delivery arrives 50 times at once', async () => {
    const payload = alertGroup({ groupKey: 'g-storm-50', count: 40 })
    const results = await Promise.all(Array.from({ length: 50 }, () => ingest(payload)))
    expect(results.filter((r) => r.isNewIncident)).toHaveLength(1)
    const incidents = await incidentsOf('g-storm-50')
    expect(incidents).toHaveLength(1)
    expect(incidents[0].alerts).toHaveLength(40)
    expect(incidents[0].timeline.filter((e) => e.kind === 'alert.fired')).toHaveLength(1)
    expect(incidents[0].timeline).toHaveLength(2)
  })

  it('records a resolution once, never lets a late "firing" copy undo it, and leaves the incident to a person', async () => {
    await ingest(alertGroup({ groupKey: 'g-resolve', count: 2 }))
    await ingest(alertGroup({ groupKey: 'g-resolve', count: 2, status: 'resolved' }))
    await ingest(alertGroup({ groupKey: 'g-resolve', count: 2, status: 'resolved' }))
    await ingest(alertGroup({ groupKey: 'g-resolve', count: 2 })) // the HA peer's stale copy
    const [incident] = await incidentsOf('g-resolve')
    expect(incident.alerts.map((a) => a.status)).toEqual(['resolved', 'resolved'])
    expect(incident.timeline.filter((e) => e.kind === 'alert.resolved').map((e) => e.body)).toEqual([
      '2 alerts resolved: VLLMTimeToFirstTokenHigh ×2',
      'Every alert of this incident has resolved',
    ])
    expect(incident.status).toBe('triggered')
  })

  it('resolves the incident itself when configured to', async () => {
    const mapping = { ...DEFAULT_ALERT_MAPPING, autoResolve: true }
    await ingest(alertGroup({ groupKey: 'g-auto', count: 1 }), mapping)
    await ingest(alertGroup({ groupKey: 'g-auto', count: 1, status: 'resolved' }), mapping)
    const [incident] = await incidentsOf('g-auto')
    expect(incident.status).toBe('resolved')
    expect(incident.resolvedAt).not.toBeNull()
  })

  it('joins new alerts of the same group to the open incident and raises its severity', async () => {
    await ingest(alertGroup({ groupKey: 'g-join', count: 1, severity: 'warning' }))
    await ingest(alertGroup({ groupKey: 'g-join', count: 1, severity: 'critical', alertname: 'GPUMemoryHigh', model: 'mistral-7b' }))
    const incidents = await incidentsOf('g-join')
    expect(incidents).toHaveLength(1)
    expect(incidents[0]).toMatchObject({ severity: 'SEV1', models: ['llama-3-70b-instruct', 'mistral-7b'] })
    expect(incidents[0].timeline.map((e) => e.body)).toContain('Severity raised from SEV3 to SEV1 by new alerts')
  })

  it('opens a new incident when the group fires again after its incident was resolved', async () => {
    await ingest(alertGroup({ groupKey: 'g-again', count: 1 }))
    await db.incident.updateMany({ where: { groupKey: 'g-again' }, data: { status: 'resolved', resolvedAt: new Date() } })
    await ingest(alertGroup({ groupKey: 'g-again', count: 1, startsAt: '2026-11-22T05:00:00.000Z' }))
    expect((await incidentsOf('g-again')).map((i) => i.status).sort()).toEqual(['resolved', 'triggered'])
  })

  it('stores a 20,000-alert storm whole, in bounded batches, and keeps truncatedAlerts', async () => {
    const result = await ingest(alertGroup({ groupKey: 'g-20k', count: 20_000, truncatedAlerts: 120 }))
    expect(result.alertsNew).toBe(20_000)
    const incident = await db.incident.findFirstOrThrow({ where: { groupKey: 'g-20k' } })
    expect(incident.truncatedAlerts).toBe(120)
    expect(await db.alert.count({ where: { incidentId: incident.id } })).toBe(20_000)
  })
})
