/**
 * SLOs as a team meets them: import an OpenSLO file (a broken one is refused with line and field and imports
 * nothing), see status and charts, and keep seeing the last numbers while Prometheus is down.
 */
import { expect, test } from '@playwright/test'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries } from '@/lib/telemetry/scenarios/model'
import { startNext } from './support/app-server'
import { signInAs, signInByApi } from './support/auth'
import { startBackfilledPrometheus, type RunningServer } from './support/observability'
import { E2E } from './support/ports'

/** An SLO over the self-scraping Prometheus the e2e app uses: real, live data. */
const selfScrapeSlo = (name: string, brokenLine = false) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
  displayName: Prometheus API answers without errors
spec:
  service: prometheus
  indicator:
    spec:
      ratioMetric:
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(prometheus_http_requests_total{code=~"5.."}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(prometheus_http_requests_total[{{.window}}]))
  timeWindow:
    - duration: ${brokenLine ? 'a month' : '7d'}
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`

test('an editor imports OpenSLO: errors name line and field and import nothing; a good file shows status and charts', async ({ page }) => {
  await signInAs(page, 'editor')
  await page.goto('/slos')
  await expect(page.getByRole('heading', { name: 'Service level objectives' })).toBeVisible()
  await page.getByText('Import OpenSLO YAML').click()

  await page.getByLabel('Or paste it').fill(selfScrapeSlo('prometheus-api-availability', true))
  await page.getByRole('button', { name: 'Import' }).click()
  const error = page.locator('#import-errors')
  await expect(error).toContainText('nothing was imported')
  await expect(error).toContainText('line 22: spec.timeWindow.0.duration')
  expect((await (await page.request.get('/api/slos/prometheus-api-availability')).json()).error.code).toBe('not_found')

  await page.getByLabel('Or paste it').fill(selfScrapeSlo('prometheus-api-availability'))
  await page.getByRole('button', { name: 'Import' }).click()
  await expect(page.getByRole('status')).toContainText('prometheus-api-availability (new)')
  const row = page.getByTestId('slo-row-prometheus-api-availability')
  await expect(row).toBeVisible()

  await row.getByRole('link', { name: 'Prometheus API answers without errors' }).click()
  await expect(page).toHaveURL(/\/slos\/prometheus-api-availability$/)
  // the self-scraping Prometheus answers its own API without errors: the SLI is 100 % over a window with traffic
  await expect(page.getByTestId('slo-windows')).toContainText('5m')
  await expect(page.getByTestId('chart-burn').locator('.recharts-surface')).toBeVisible()
  await page.getByRole('link', { name: '6h' }).click()
  await expect(page).toHaveURL(/range=6h/)
  const rules = await page.request.get('/api/slos/prometheus-api-availability/rules')
  expect(rules.headers()['content-type']).toContain('yaml')
  expect(await rules.text()).toContain('slo:sli_error:ratio_rate5m')
})

test('a viewer sees SLOs but cannot define or import them, in the page or the API', async ({ page }) => {
  await signInAs(page, 'viewer')
  await page.goto('/slos')
  await expect(page.getByTestId('slo-row-rag-chat-availability')).toBeVisible()
  await expect(page.getByRole('link', { name: 'New SLO' })).toHaveCount(0)
  await expect(page.getByText('Import OpenSLO YAML')).toHaveCount(0)
  expect((await page.request.post('/api/slos/import', { data: { yaml: selfScrapeSlo('viewer-slo') } })).status()).toBe(403)
  expect((await page.request.delete('/api/slos/rag-chat-availability')).status()).toBe(403)
})

test('an editor defines an SLO in the form; bad fields are marked and nothing is saved', async ({ page }) => {
  await signInAs(page, 'editor')
  await page.goto('/slos/new')
  await page.getByLabel('Name (in links and exported rules)').fill('summarizer-latency')
  await page.getByLabel('Title').fill('summarizer TTFT under 2 s')
  await page.getByLabel('Service or pipeline').fill('summarizer')
  await page.getByLabel('Objective (%)').fill('99')
  await page.getByLabel('Which events the first query counts').selectOption('good')
  await page.locator('textarea[name=eventQuery]').fill('sum(rate(vllm:time_to_first_token_seconds_bucket{pipeline="summarizer",le="2"}[5m]))')
  await page.getByLabel('All events per second').fill('sum(rate(vllm:time_to_first_token_seconds_count{pipeline="summarizer"}[{{.window}}]))')
  await page.getByRole('button', { name: 'Create SLO' }).click()
  await expect(page.locator('.field-error')).toContainText('[{{.window}}]')
  expect((await page.request.get('/api/slos/summarizer-latency')).status()).toBe(404)

  await page.locator('textarea[name=eventQuery]').fill('sum(rate(vllm:time_to_first_token_seconds_bucket{pipeline="summarizer",le="2"}[{{.window}}]))')
  await page.getByRole('button', { name: 'Create SLO' }).click()
  await expect(page).toHaveURL(/\/slos\/summarizer-latency$/)
  await expect(page.getByRole('heading', { name: 'summarizer TTFT under 2 s' })).toBeVisible()
  const { slo } = await (await page.request.get('/api/slos/summarizer-latency')).json()
  expect(slo).toMatchObject({ objective: 0.99, periodDays: 30, sli: { kind: 'ratio', goodQuery: expect.stringContaining('le="2"') } })
})

test('on the GPU OOM scenario the SLO pages and the fleet view flags gpu-node-2; through a Prometheus outage both keep their last data and recover', async ({ browser }) => {
  test.setTimeout(150_000)
  // the scenario runs up to a quarter of an hour from now, so its "now" is live while the test runs
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 15 * 60_000)
  const series = generateSeries(GPU_OOM, end)
  const promPort = await findFreePort()
  let prometheus: RunningServer | undefined = await startBackfilledPrometheus({ series, port: promPort })
  const appPort = E2E.appPort + 5
  const appUrl = `http://127.0.0.1:${appPort}`
  const app = await startNext(appPort, { DATABASE_URL: process.env.E2E_DATABASE_URL!, NEXTAUTH_URL: appUrl, NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long', PROMETHEUS_URL: prometheus.url })
  const context = await browser.newContext({ baseURL: appUrl })
  try {
    await signInByApi(context.request, 'responder@firebreak.demo', 'demo-responder-password')
    const page = await context.newPage()
    const fleet = await context.newPage()
    await fleet.goto('/fleet')
    await expect(fleet.getByTestId('node-row-gpu-node-2')).toHaveClass(/flagged/)
    for (const healthy of ['gpu-node-1', 'gpu-node-3']) await expect(fleet.getByTestId(`node-row-${healthy}`)).not.toHaveClass(/flagged/)
    await expect(fleet.getByTestId('fleet-flags')).toContainText('gpu-node-2')
    await expect(fleet.getByTestId('demo-badge')).toHaveCount(0)
    await fleet.screenshot({ path: test.info().outputPath('fleet-oom.png'), fullPage: true })

    await page.goto('/slos')
    await expect(page.getByTestId('slo-row-rag-chat-availability')).toContainText('page')
    await expect(page.getByTestId('slo-row-rag-chat-availability')).toHaveClass(/row-page/)

    let loads = 0
    page.on('load', () => loads++)
    await page.goto('/slos/rag-chat-availability?range=6h')
    await expect(page.getByTestId('slo-condition')).toContainText('page')
    const sliBefore = await page.getByTestId('slo-sli').textContent()
    expect(sliBefore).toMatch(/\d+(\.\d+)? %/)
    await expect(page.getByTestId('chart-sli').locator('.recharts-line-curve')).toBeVisible()
    await page.screenshot({ path: test.info().outputPath('slo-oom.png'), fullPage: true })

    await prometheus.stop()
    prometheus = undefined
    await expect(page.getByRole('alert').first()).toContainText(/Prometheus has not answered since \d{4}-\d\d-\d\d \d\d:\d\d UTC/, { timeout: 40_000 })
    await expect(page.getByTestId('slo-stale')).toContainText('Showing the last numbers Firebreak had')
    await expect(page.getByTestId('slo-sli')).toHaveText(sliBefore!)
    await page.screenshot({ path: test.info().outputPath('slo-outage.png'), fullPage: true })
    await expect(fleet.getByTestId('fleet-outage')).toContainText(/Prometheus has not answered since/, { timeout: 40_000 })
    await expect(fleet.getByTestId('node-row-gpu-node-2')).toHaveClass(/flagged/)
    // the rest of the console keeps working: incidents can be declared, runbooks read, SLOs edited
    expect((await page.request.post('/api/incidents', { data: { title: 'Declared while Prometheus is down', severity: 'SEV3' } })).status()).toBe(201)
    expect((await page.request.get('/api/runbooks/gpu-oom')).status()).toBe(200)
    const other = await context.newPage()
    await other.goto('/incidents')
    await expect(other.getByTestId('incident-list')).toContainText('Declared while Prometheus is down')
    await other.close()

    prometheus = await startBackfilledPrometheus({ series, port: promPort })
    await expect(page.getByTestId('slo-stale')).toHaveCount(0, { timeout: 40_000 })
    await expect(page.getByTestId('slo-condition')).toContainText('page')
    await expect(fleet.getByTestId('fleet-outage')).toHaveCount(0, { timeout: 40_000 })
    expect(loads).toBe(1)
  } finally {
    await context.close()
    app.kill('SIGTERM')
    await prometheus?.stop()
  }
})
