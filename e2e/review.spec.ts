/**
 * The weekly SLO review as a team puts it on the screen: a real Prometheus holds the GPU-OOM scenario, an SLO covers
 * the rag-chat gateway, and an incident on rag-chat with a postmortem and an open action item falls in the period.
 * The review shows the incident, what it burned of the SLO's budget, and the action item; with Prometheus down it
 * says which backend is down since when, and the incidents and action items are still there.
 */
import { expect, test } from '@playwright/test'
import pg from 'pg'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries, scenarioStart } from '@/lib/telemetry/scenarios/model'
import { startNext } from './support/app-server'
import { signInByApi } from './support/auth'
import { startBackfilledPrometheus, type RunningServer } from './support/observability'
import { E2E } from './support/ports'

/** Postmortem and action item rows as the postmortem pages would leave them (seeded here, not the subject). */
async function seedFollowUp(incidentNumber: number, startedAt: Date, resolvedAt: Date, title: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL! })
  await client.connect()
  try {
    // the incident happened during the backfilled scenario: move its times there
    const { rows } = await client.query(
      `UPDATE incidents SET "startedAt" = $2::timestamp, "detectedAt" = $2::timestamp + interval '2 minutes', "acknowledgedAt" = $2::timestamp + interval '5 minutes', "mitigatedAt" = $3::timestamp - interval '20 minutes', "resolvedAt" = $3::timestamp, status = 'resolved', "failureClass" = 'gpu-oom', pathway = 'infrastructure', "errorState" = 'runtime' WHERE number = $1 RETURNING id`,
      [incidentNumber, startedAt.toISOString(), resolvedAt.toISOString()],
    )
    const postmortemId = `review-e2e-pm-${incidentNumber}`
    await client.query(`INSERT INTO postmortems (id, "incidentId", title, content, facts, "createdByName", "updatedAt") VALUES ($1, $2, 'GPU OOM on gpu-node-2', '{}', '{}', 'Erin Editor', now())`, [postmortemId, rows[0].id])
    await client.query(`INSERT INTO action_items (id, "postmortemId", title, "ownerName", "dueDate", status, priority, "updatedAt") VALUES ($1, $2, $3, 'Ada', current_date + 7, 'open', 'p1', now())`, [`review-e2e-ai-${incidentNumber}`, postmortemId, title])
  } finally {
    await client.end()
  }
}

test('the weekly review shows an incident, its budget cost and an open action item, and survives Prometheus going down', async ({ browser }) => {
  test.setTimeout(150_000)
  // the scenario ends on a whole hour an hour ago, so the whole period is history
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const series = generateSeries(GPU_OOM, end)
  const begin = scenarioStart(GPU_OOM, end)
  const minute = (m: number) => new Date(begin.getTime() + m * 60_000)
  const promPort = await findFreePort()
  let prometheus: RunningServer | undefined = await startBackfilledPrometheus({ series, port: promPort })
  const appPort = E2E.appPort + 8
  const appUrl = `http://127.0.0.1:${appPort}`
  const app = await startNext(appPort, { DATABASE_URL: process.env.E2E_DATABASE_URL!, NEXTAUTH_URL: appUrl, NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long', PROMETHEUS_URL: prometheus.url })
  const context = await browser.newContext({ baseURL: appUrl })
  try {
    await signInByApi(context.request, 'editor@firebreak.demo', 'demo-editor-password')
    const sloName = `review-e2e-${Date.now()}`
    const created = await context.request.post('/api/slos', {
      data: {
        name: sloName,
        displayName: 'rag-chat gateway availability (review)',
        service: 'rag-chat',
        objective: 0.999,
        periodDays: 30,
        sli: { kind: 'ratio', badQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat",code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat"}[{{.window}}]))' },
      },
    })
    expect(created.status()).toBe(201)
    const declared = await context.request.post('/api/incidents', { data: { title: 'Review e2e: GPU OOM on gpu-node-2', severity: 'SEV1', pipeline: 'rag-chat' } })
    expect(declared.status()).toBe(201)
    const { incident } = await declared.json()
    const itemTitle = `Alert on KV-cache usage above 0.9 (${incident.number})`
    await seedFollowUp(incident.number, minute(GPU_OOM.onsetMinute! + 10), minute(GPU_OOM.onsetMinute! + 80), itemTitle)

    const page = await context.newPage()
    const search = new URLSearchParams({ from: begin.toISOString(), to: end.toISOString() })
    await page.goto(`/review?${search}`)
    await expect(page.getByTestId('review-title')).toContainText('Weekly SLO review')
    await expect(page.getByTestId(`review-incident-${incident.number}`)).toContainText('Review e2e: GPU OOM on gpu-node-2')

    const card = page.getByTestId(`review-slo-${sloName}`)
    await expect(card.getByTestId(`review-compliance-${sloName}`)).toHaveText(/\d+(\.\d+)? %/)
    const cost = card.getByTestId(`review-incident-cost-${sloName}-${incident.number}`)
    await expect(cost).toContainText(`INC-${incident.number}`)
    const burned = (await cost.locator('td').nth(2).textContent())!
    expect(burned).toMatch(/^\d+(\.\d+)? %$/)
    // a quarter of one node's traffic failing for most of 70 minutes: several percent of a 30-day 99.9 % budget
    expect(parseFloat(burned)).toBeGreaterThan(1)
    await expect(card.getByTestId(`incident-burn-chart-${sloName}`).locator('.recharts-bar-rectangle').first()).toBeVisible()
    await expect(card.getByTestId('chart-burn').locator('.recharts-line-curve')).toBeVisible()

    const item = page.getByTestId('review-open-items').getByRole('row', { name: new RegExp(itemTitle.replace(/[()]/g, '\\$&')) })
    await expect(item).toContainText('Ada')
    await expect(item).toContainText('open')
    await expect(page.getByTestId('review-postmortems-due')).toContainText(`INC-${incident.number}`)
    await page.screenshot({ path: test.info().outputPath('review.png'), fullPage: true })

    // the export carries the same facts
    const exported = await context.request.get(`/api/review/export?${search}`)
    expect(exported.headers()['content-type']).toContain('text/markdown')
    const markdown = await exported.text()
    expect(markdown).toContain(`[INC-${incident.number}](${appUrl}/incidents/${incident.number})`)
    expect(markdown).toContain('## Action items')
    // a wrong parameter is a 400 that names it
    const bad = await context.request.get('/api/review?week=next-monday')
    expect(bad.status()).toBe(400)
    expect((await bad.json()).error.issues[0].path).toBe('week')

    await prometheus.stop()
    prometheus = undefined
    // answers are shared for 15 s (lib/telemetry/coalesce.ts), so the outage shows on a reload after that at the latest
    await expect(async () => {
      await page.reload()
      await expect(page.getByTestId('review-slos').getByRole('alert').first()).toContainText(/Prometheus has not answered since \d{4}-\d\d-\d\d \d\d:\d\d UTC/, { timeout: 2_000 })
    }).toPass({ timeout: 40_000, intervals: [2_000] })
    await expect(page.getByTestId(`review-slo-error-${sloName}`)).toContainText('Prometheus is unreachable')
    await expect(page.getByTestId(`review-incident-${incident.number}`)).toBeVisible()
    await expect(page.getByTestId('review-open-items')).toContainText(itemTitle)
    await page.screenshot({ path: test.info().outputPath('review-prometheus-down.png'), fullPage: true })

    await page.goto(`/review/print?${search}`)
    await expect(page.getByTestId('review-print-view')).toContainText(`INC-${incident.number}`)
    await expect(page.getByTestId('review-print-view')).toContainText(itemTitle)
  } finally {
    await context.close()
    app.kill('SIGTERM')
    await prometheus?.stop()
  }
})
