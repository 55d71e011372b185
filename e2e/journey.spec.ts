/**
 * The whole journey in Chromium, on a GPU OOM backfilled into a real Prometheus: an alert arrives through the
 * Alertmanager webhook and opens an incident; the responder classifies it in three confirmations (issue #7) and lands
 * on the runbook with its checklist; the timeline records the classification and its evidence; the incident is
 * resolved; the postmortem is written with a pinned trace case and an action item, and published; the weekly review
 * shows the incident, the error budget it cost and the open action item (issue #8).
 */
import { expect, test } from '@playwright/test'
import { findFreePort } from '@/lib/db/embedded-postgres'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries, scenarioStart } from '@/lib/telemetry/scenarios/model'
import { scenarioTraces, toOtlpJson } from '@/lib/telemetry/scenarios/traces'
import { webhookFor } from '@/prisma/demo-incidents'
import { createTokenAsAdmin, postWebhook } from './support/api'
import { startNext } from './support/app-server'
import { signInByApi } from './support/auth'
import { startBackfilledPrometheus, type RunningServer } from './support/observability'
import { E2E } from './support/ports'

test('alert → incident → classified in three confirmations → runbook checklist → postmortem with a case and an action item → weekly review', async ({ browser }) => {
  test.setTimeout(240_000)
  const stamp = Date.now().toString(36)
  // the scenario runs to a quarter of an hour from now: the OOM is happening while the test runs
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 15 * 60_000)
  const startsAt = scenarioStart(GPU_OOM, end)
  let prometheus: RunningServer | undefined = await startBackfilledPrometheus({ series: generateSeries(GPU_OOM, end), port: await findFreePort() })
  const appPort = E2E.appPort + 6
  const appUrl = `http://127.0.0.1:${appPort}`
  const app = await startNext(appPort, { DATABASE_URL: process.env.E2E_DATABASE_URL!, NEXTAUTH_URL: appUrl, NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long', PROMETHEUS_URL: prometheus.url })
  const rae = await browser.newContext({ baseURL: appUrl })
  const eli = await browser.newContext({ baseURL: appUrl })
  try {
    // ---- the SLO the incident burns, and the sources the wizard reads
    await signInByApi(eli.request, 'editor@firebreak.demo', 'demo-editor-password')
    const sloName = `journey-${stamp}`
    const slo = await eli.request.post('/api/slos', {
      data: {
        name: sloName,
        displayName: 'rag-chat answers (journey)',
        service: 'rag-chat',
        objective: 0.999,
        periodDays: 30,
        sli: { kind: 'ratio', badQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat",code=~"5.."}[{{.window}}]))', totalQuery: 'sum(rate(http_requests_total{job="llm-gateway",pipeline="rag-chat"}[{{.window}}]))' },
      },
    })
    expect(slo.status()).toBe(201)
    const alertmanagerToken = await createTokenAsAdmin(browser, appUrl, `journey-am-${stamp}`)
    const admin = await browser.newContext({ baseURL: appUrl })
    await signInByApi(admin.request, 'admin@firebreak.demo', 'demo-admin-password')
    const otlpToken = (await (await admin.request.post('/api/tokens', { data: { name: `journey-otlp-${stamp}`, kind: 'otlp' } })).json()).secret as string
    await admin.close()
    const traces = scenarioTraces(GPU_OOM, end)
    const sent = await rae.request.post('/v1/traces', { headers: { authorization: `Bearer ${otlpToken}`, 'content-type': 'application/json' }, data: JSON.stringify(toOtlpJson(traces)) })
    expect(sent.status()).toBe(200)

    // ---- the alert arrives: Alertmanager's webhook for the scenario's alerts as they stand now
    const webhook = webhookFor({ scenario: GPU_OOM, startsAt, response: { status: 'triggered', notes: [] } }, new Date())!
    const delivered = await postWebhook(rae.request, alertmanagerToken, { ...webhook, groupKey: `${webhook.groupKey}/journey-${stamp}` }, appUrl)
    expect(delivered.status()).toBe(200)
    const { incidentNumber } = (await delivered.json()) as { incidentNumber: number }

    await signInByApi(rae.request, 'responder@firebreak.demo', 'demo-responder-password')
    const page = await rae.newPage()
    await page.goto('/incidents')
    await page.getByTestId('incident-list').getByRole('link', { name: new RegExp(`INC-${incidentNumber}\\b|rag-chat`) }).first().waitFor()
    await page.goto(`/incidents/${incidentNumber}`)
    await expect(page.getByTestId('classification')).toContainText('Not classified yet')

    // ---- classify in three confirmations
    await page.getByTestId('classification').getByRole('link', { name: 'Classify' }).click()
    await expect(page).toHaveURL(new RegExp(`/incidents/${incidentNumber}/classify$`))
    await expect(page.getByTestId('proposal')).toContainText('Proposed: Runtime', { timeout: 30_000 })
    await expect(page.getByTestId('wizard-window')).toContainText('pipeline rag-chat')
    await expect(page.getByRole('radio', { name: /^Runtime/ })).toBeChecked()
    await page.screenshot({ path: test.info().outputPath('wizard-error-state.png'), fullPage: true })
    await page.getByRole('button', { name: 'Confirm error state' }).click()

    await expect(page.getByRole('heading', { name: 'Step 2 of 3: Pathway' })).toBeVisible()
    await expect(page.getByTestId('proposal')).toContainText('Proposed: Infrastructure', { timeout: 30_000 })
    await page.getByRole('button', { name: 'Confirm pathway' }).click()

    await expect(page.getByRole('heading', { name: 'Step 3 of 3: Failure class' })).toBeVisible()
    await expect(page.getByTestId('proposal')).toContainText('Proposed: GPU out-of-memory', { timeout: 30_000 })
    const peak = page.getByTestId('evidence').locator('tr[data-rule="fc-gpu-memory-peak"]')
    await expect(peak).toContainText('holds')
    await expect(peak).toContainText('> 95 %')
    await expect(peak.locator('.sparkline')).toBeVisible()
    await page.screenshot({ path: test.info().outputPath('wizard-failure-class.png'), fullPage: true })
    await page.getByRole('button', { name: 'Confirm and open the runbook' }).click()

    // ---- the runbook opens on this incident, with its checklist
    await expect(page).toHaveURL(new RegExp(`/runbooks/gpu-oom\\?incident=${incidentNumber}$`))
    await expect(page.getByTestId('checklist-progress')).toContainText('0 of')
    const firstStep = page.locator('.checklist-step').first()
    await firstStep.getByRole('checkbox').check()
    await expect(page.getByTestId('checklist-progress')).toContainText('1 of')
    await page.getByRole('link', { name: `Back to INC-${incidentNumber}` }).click()

    // ---- the timeline shows the classification and the evidence as it was
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toContainText('Classified: Runtime')
    await expect(timeline).toContainText('GPU out-of-memory')
    await timeline.getByText('Evidence as it was at the decision').click()
    await expect(timeline).toContainText('GPU framebuffer use at peak')
    await expect(page.getByTestId('classification')).toContainText('GPU out-of-memory')

    // ---- a traced case pinned to the incident, then the incident is resolved
    const pinned = await rae.request.post('/api/cases', { data: { traceId: traces[0].traceId, title: `Long RAG prompt on gpu-node-2 ${stamp}`, category: 'gpu-oom', incidentNumbers: [incidentNumber] } })
    expect(pinned.status()).toBe(201)
    const caseNumber = (await pinned.json()).case.number as number
    await page.getByRole('combobox', { name: 'Status' }).selectOption('resolved')
    await expect(page.getByRole('button', { name: 'Start postmortem' })).toBeVisible()
    await page.getByRole('button', { name: 'Start postmortem' }).click()

    // ---- the postmortem: prefilled facts, blameless sections, an action item, published
    await expect(page).toHaveURL(/\/postmortems\/\d+$/, { timeout: 30_000 })
    const postmortemNumber = Number(new URL(page.url()).pathname.split('/').pop())
    await expect(page.getByTestId('postmortem-facts')).toContainText(`INC-${incidentNumber}`)
    await expect(page.getByTestId('postmortem-facts')).toContainText('GPU out-of-memory')
    await expect(page.getByTestId('postmortem-facts')).toContainText(sloName)
    await expect(page.getByTestId('cited-cases')).toContainText(`CASE-${caseNumber}`)
    await page.getByRole('textbox', { name: 'Impact', exact: true }).fill('A quarter of rag-chat requests to gpu-node-2 failed for about 70 minutes.')
    await page.getByRole('textbox', { name: 'Detection', exact: true }).fill('The preemption alert fired 20 minutes after long prompts began; no alert watched KV-cache usage.')
    await page.getByRole('textbox', { name: 'Root cause and contributing factors', exact: true }).fill('Retriever top_k went from 8 to 20, so prompts grew until the KV cache could not hold the batch.')
    await page.getByRole('checkbox', { name: 'Infrastructure' }).check()
    await page.getByRole('textbox', { name: 'Resolution', exact: true }).fill('top_k back to 8 and max_num_seqs lowered on gpu-node-2; framebuffer use fell under 90 %.')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByTestId('save-message')).toHaveText(/Saved as version \d+\./)
    const itemTitle = `Alert on KV-cache usage above 0.9 ${stamp}`
    await page.getByLabel('New action item').fill(itemTitle)
    await page.getByRole('combobox', { name: 'Owner', exact: true }).selectOption({ label: 'Eli Editor' })
    await page.getByLabel('Due date', { exact: true }).fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10))
    await page.getByRole('button', { name: 'Add action item' }).click()
    await expect(page.getByTestId('action-items')).toContainText(itemTitle)
    await page.getByRole('button', { name: 'Submit for review' }).click()
    await expect(page.getByTestId('postmortem-status')).toHaveText('in review')
    await page.getByRole('button', { name: 'Publish' }).click()
    await expect(page.getByTestId('postmortem-status')).toHaveText('published')
    await page.screenshot({ path: test.info().outputPath('postmortem-published.png'), fullPage: true })

    // the case links back to its postmortem
    await page.goto(`/cases/${caseNumber}`)
    await expect(page.getByRole('link', { name: new RegExp(`PM-${postmortemNumber}`) })).toBeVisible()

    // ---- the weekly review: the incident, the budget it cost, the open action item
    const from = new Date(Date.now() - 6 * 86_400_000)
    const search = new URLSearchParams({ from: from.toISOString(), to: new Date(Date.now() + 60_000).toISOString() })
    await page.goto(`/review?${search}`)
    await expect(page.getByTestId(`review-incident-${incidentNumber}`)).toBeVisible()
    const cost = page.getByTestId(`review-slo-${sloName}`).getByTestId(`review-incident-cost-${sloName}-${incidentNumber}`)
    await expect(cost).toContainText(`INC-${incidentNumber}`)
    const burned = (await cost.locator('td').nth(2).textContent())!
    expect(burned).toMatch(/^\d+(\.\d+)? %$/)
    expect(parseFloat(burned)).toBeGreaterThan(0)
    await expect(page.getByTestId('review-open-items')).toContainText(itemTitle)
    await page.screenshot({ path: test.info().outputPath('weekly-review.png'), fullPage: true })
  } finally {
    await rae.close()
    await eli.close()
    app.kill('SIGTERM')
    await prometheus?.stop()
    prometheus = undefined
  }
})
