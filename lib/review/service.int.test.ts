/**
 * The weekly review end to end below the page: an incident, its postmortem and an action item in the real database,
 * an SLO on the incident's pipeline, and a real Prometheus holding the GPU-OOM scenario. The SLO numbers and the
 * incident's budget cost equal what the generated samples imply; with Prometheus gone, the SLO part says so and the
 * incidents and action items are still there. The database is shared with other files: only our own rows are checked.
 */
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import type { RequestContext } from '@/lib/auth/context'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries, scenarioStart, type GeneratedSeries } from '@/lib/telemetry/scenarios/model'
import { useTestDatabase } from '@/tests/db'
import { loadWeeklyReview } from './service'

const viewer: RequestContext = { actor: { id: 'review-viewer', email: 'review-viewer@example.com', name: 'Vera Viewer', role: 'viewer' } }
const session = vi.hoisted(() => ({ context: { actor: null } as RequestContext }))
vi.mock('@/lib/auth/session', () => ({ getRequestContext: async () => session.context }))
const SLO_NAME = 'review-it-rag-chat-availability'

describe('the weekly review from the database and a real Prometheus', () => {
  const { db } = useTestDatabase()
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const series = generateSeries(GPU_OOM, end)
  const begin = scenarioStart(GPU_OOM, end)
  const minute = (m: number) => new Date(begin.getTime() + m * 60_000)
  const onset = GPU_OOM.onsetMinute!
  const period = { from: begin, to: end }
  let prometheus: RunningServer
  let incidentNumber: number
  let itemNumber: number

  const gateway = series.filter((s) => s.metric === 'http_requests_total' && s.labels.job === 'llm-gateway' && s.labels.pipeline === 'rag-chat')
  const added = (s: GeneratedSeries, from: Date, to: Date) => s.points.find(([t]) => t === to.getTime() / 1000)![1] - s.points.find(([t]) => t === from.getTime() / 1000)![1]
  const errorRatio = (from: Date, to: Date) => gateway.filter((s) => /^5/.test(s.labels.code)).reduce((a, s) => a + added(s, from, to), 0) / gateway.reduce((a, s) => a + added(s, from, to), 0)

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus({ series })
    await db.slo.deleteMany({ where: { name: SLO_NAME } })
    await db.slo.create({
      data: {
        name: SLO_NAME,
        displayName: 'rag-chat availability (review test)',
        service: 'rag-chat',
        objective: 0.999,
        periodDays: 30,
        sli: { kind: 'ratio', badQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat",code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat"}[{{.window}}]))' },
      },
    })
    const incident = await db.incident.create({
      data: {
        title: 'review test: GPU OOM on gpu-node-2',
        severity: 'SEV1',
        status: 'resolved',
        source: 'declared',
        pipeline: 'rag-chat',
        startedAt: minute(onset + 10),
        detectedAt: minute(onset + 12),
        acknowledgedAt: minute(onset + 15),
        mitigatedAt: minute(onset + 50),
        resolvedAt: minute(onset + 80),
        errorState: 'runtime',
        pathway: 'infrastructure',
        failureClass: 'gpu-oom',
      },
    })
    incidentNumber = incident.number
    const postmortem = await db.postmortem.create({ data: { incidentId: incident.id, title: 'GPU OOM', content: {}, facts: {}, createdByName: 'Vera Viewer' } })
    const item = await db.actionItem.create({ data: { postmortemId: postmortem.id, title: 'Alert on KV-cache usage above 0.9', ownerName: 'Ada', dueDate: new Date(Date.now() - 2 * 86_400_000), status: 'open', priority: 'p1' } })
    itemNumber = item.number
  }, 60_000)

  afterAll(async () => {
    await db.slo.deleteMany({ where: { name: SLO_NAME } })
    await prometheus?.stop()
    await db.$disconnect()
  })

  it('shows compliance, budget and the incident cost the samples imply, the incident by class, and the open action item', async () => {
    process.env.PROMETHEUS_URL = prometheus.url
    const review = await loadWeeklyReview(viewer, period)
    expect(review.telemetry.problem).toBeNull()
    const slo = review.slos.find((s) => s.name === SLO_NAME)!
    expect(slo.error).toBeNull()

    const periodRatio = errorRatio(begin, end)
    expect(slo.compliance!).toBeCloseTo(1 - periodRatio, 9)
    expect(slo.consumed!).toBeCloseTo((periodRatio / 0.001) * (6 / 720), 6)
    // the 30 days before the period's end hold only the scenario's six hours
    expect(slo.budgetRemaining!).toBeCloseTo(1 - periodRatio / 0.001, 3)
    expect(slo.previousCompliance).toBeNull()
    expect(slo.charts!.burnRate.length).toBeGreaterThan(5)

    const cost = slo.incidents.find((i) => i.number === incidentNumber)!
    expect(cost.start).toBe(minute(onset + 10).toISOString())
    expect(cost.end).toBe(minute(onset + 80).toISOString())
    expect(cost.consumed!).toBeCloseTo((errorRatio(minute(onset + 10), minute(onset + 80)) / 0.001) * ((70 / 60) / 720), 6)
    // the incident is most of the period's burn
    expect(cost.consumed!).toBeGreaterThan(0.5 * slo.consumed!)

    expect(review.incidents.list.map((i) => i.number)).toContain(incidentNumber)
    expect(review.incidents.byFailureClass.find((r) => r.id === 'gpu-oom')!.count).toBeGreaterThanOrEqual(1)
    expect(review.incidents.ttx.detect.count).toBeGreaterThanOrEqual(1)
    const item = review.actionItems.open.find((i) => i.number === itemNumber)!
    expect(item).toMatchObject({ isOverdue: true, incidentNumber, ownerName: 'Ada' })
    expect(review.postmortemsDue.find((d) => d.incidentNumber === incidentNumber)?.postmortem?.status).toBe('draft')
  })

  it('with Prometheus down, says which backend since when and still lists incidents and action items', async () => {
    process.env.PROMETHEUS_URL = 'http://127.0.0.1:9'
    const before = Date.now()
    const review = await loadWeeklyReview(viewer, period)
    expect(review.telemetry.problem?.down).toMatchObject({ backend: 'Prometheus', error: 'Prometheus is unreachable' })
    expect(Date.parse(review.telemetry.problem!.down!.downSince)).toBeGreaterThanOrEqual(before - 1000)
    const slo = review.slos.find((s) => s.name === SLO_NAME)!
    expect(slo).toMatchObject({ compliance: null, consumed: null, budgetRemaining: null, error: 'Prometheus is unreachable' })
    expect(review.incidents.list.map((i) => i.number)).toContain(incidentNumber)
    expect(review.actionItems.open.map((i) => i.number)).toContain(itemNumber)
    delete process.env.PROMETHEUS_URL
  })
})

describe('the review API', () => {
  const { db } = useTestDatabase()
  afterAll(() => db.$disconnect())

  async function get(path: string) {
    const routes = { review: await import('@/app/api/review/route'), settings: await import('@/app/api/review/settings/route') }
    const handler = path.startsWith('/api/review/settings') ? routes.settings.GET : routes.review.GET
    const response = await handler(new NextRequest(new URL(path, 'http://firebreak.test')), { params: Promise.resolve({}) })
    return { status: response.status, body: await response.json() }
  }

  it('needs a session, and answers a period the database cannot hold with 400 naming the parameter, not 500', async () => {
    session.context = { actor: null }
    expect((await get('/api/review')).status).toBe(401)
    session.context = viewer
    for (const [query, path] of [['week=0001-01-01', 'week'], ['week=9999-12-31', 'week'], ['from=2099-12-01&to=2100-01-02', 'to'], ['from=2000-01-02&to=2000-01-09', 'from'], ['week=2026-13-01', 'week'], ['weeks=2026-11-16', '']] as const) {
      const answer = await get(`/api/review?${query}`)
      expect(answer.status, query).toBe(400)
      expect(answer.body.error.code).toBe('validation_failed')
      expect(answer.body.error.issues.map((i: { path: string }) => i.path).join(' '), query).toContain(path)
    }
    const settings = await get('/api/review/settings')
    expect(settings).toMatchObject({ status: 200, body: { weekStart: expect.any(String) } })
  })
})
