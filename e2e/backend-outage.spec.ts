/**
 * Backends down: Prometheus is killed while a runbook's live panel is open. The panel says which backend is down and
 * since when, keeps showing the last data it had, and the rest of Firebreak keeps working; when Prometheus is back
 * the panel recovers by itself, without a reload.
 */
import { expect, test } from '@playwright/test'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { waitForMetricsData } from './support/api'
import { startNext } from './support/app-server'
import { signInByApi } from './support/auth'
import { startSelfScrapingPrometheus, type RunningServer } from './support/observability'
import { E2E } from './support/ports'

test('a live panel survives a Prometheus outage and recovers without a reload', async ({ browser }) => {
  test.setTimeout(150_000)
  const promPort = await findFreePort()
  let prometheus: RunningServer | undefined = await startSelfScrapingPrometheus(promPort)
  const appPort = E2E.appPort + 4
  const appUrl = `http://127.0.0.1:${appPort}`
  const app = await startNext(appPort, {
    DATABASE_URL: process.env.E2E_DATABASE_URL!,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long',
    PROMETHEUS_URL: prometheus.url,
  })
  const context = await browser.newContext({ baseURL: appUrl })
  try {
    await signInByApi(context.request, 'editor@firebreak.demo', 'demo-editor-password')
    const page = await context.newPage()
    const { runbook } = await (await page.request.get('/api/runbooks/container-oom-killed')).json()
    const head = (await (await page.request.get(`/api/runbooks/container-oom-killed?revision=${runbook.headRevision}`)).json()).revision
    const content = head.content.replace('## Symptoms', '## Symptoms\n\n```promql\nsum by (job) (up)\n```\n')
    const saved = await page.request.post('/api/runbooks/container-oom-killed/revisions', { data: { content, message: 'outage panel', baseRevision: head.number } })
    const { revision } = await saved.json()
    await waitForMetricsData(page.request)

    let loads = 0
    page.on('load', () => loads++)
    await page.goto(`/runbooks/container-oom-killed?revision=${revision.number}`)
    const panel = page.getByTestId('promql-block').filter({ hasText: 'sum by (job) (up)' })
    await expect(panel.locator('.promql-table')).toContainText('job=prometheus')

    await prometheus.stop()
    prometheus = undefined
    await expect(panel.getByRole('alert')).toContainText(/Prometheus has not answered since \d\d:\d\d UTC/, { timeout: 30_000 })
    await expect(panel.getByRole('alert')).toContainText('Showing the last data Firebreak had')
    await expect(panel.locator('.promql-table')).toContainText('job=prometheus')
    await page.screenshot({ path: test.info().outputPath('panel-during-outage.png') })

    // the console keeps working: incidents and runbooks answer while the metrics backend is down
    const other = await context.newPage()
    await other.goto('/incidents')
    await expect(other.getByRole('heading', { name: 'Incidents' })).toBeVisible()
    expect((await other.request.post(`/api/incidents`, { data: { title: 'Declared while Prometheus is down', severity: 'SEV3' } })).status()).toBe(201)
    await other.close()

    prometheus = await startSelfScrapingPrometheus(promPort)
    await expect(panel.getByRole('alert')).toHaveCount(0, { timeout: 40_000 })
    await expect(panel.locator('.promql-table')).toContainText('job=prometheus')
    expect(loads).toBe(1)
  } finally {
    await context.close()
    app.kill('SIGTERM')
    await prometheus?.stop()
  }
})
