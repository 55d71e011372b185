import { expect, test } from '@playwright/test'
import { alertGroup } from '@/tests/alert-payloads'
import { createTokenAsAdmin, postWebhook } from './support/api'
import { signInAs } from './support/auth'
import { E2E } from './support/ports'

let token: string

test.beforeAll(async ({ browser }) => {
  token = await createTokenAsAdmin(browser, E2E.appUrl)
})

test('the incident list shows a new alert group by itself, without a reload', async ({ page, request }) => {
  await signInAs(page, 'viewer')
  await page.goto('/incidents')
  let reloads = 0
  page.on('load', () => reloads++)
  const groupKey = `live-${Date.now()}`
  const response = await postWebhook(request, token, alertGroup({ groupKey, count: 4, pipeline: 'live-pipeline', alertname: 'KVCacheNearlyFull', severity: 'error' }))
  const { incidentNumber } = await response.json()
  const row = page.getByTestId(`incident-row-${incidentNumber}`)
  await expect(row).toBeVisible({ timeout: 8_000 })
  await expect(row).toContainText('SEV2')
  await expect(row).toContainText('live-pipeline')
  await expect(row.locator('td').last()).toHaveText('4')
  expect(reloads).toBe(0)
})

test('a responder acknowledges, takes command, adds a note and changes status; the timeline records each step', async ({ page, request }) => {
  const { incidentNumber } = await (await postWebhook(request, token, alertGroup({ groupKey: `work-${Date.now()}`, count: 2 }))).json()
  await signInAs(page, 'responder')
  await page.goto(`/incidents/${incidentNumber}`)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()

  await page.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(page.getByTestId('commander')).toHaveText('Rae Responder')
  await expect(page.locator('.status').first()).toHaveText('acknowledged')

  await page.getByRole('button', { name: 'Be scribe' }).click()
  await expect(page.getByTestId('scribe')).toHaveText('Rae Responder')

  const note = page.getByLabel(/Add a note/)
  await note.fill('KV cache at 0.98 on every replica; preemptions rising. Lowering max_num_seqs.')
  await note.press('Control+Enter')
  await expect(page.getByTestId('timeline')).toContainText('KV cache at 0.98 on every replica')
  await expect(note).toHaveValue('')

  await page.getByText('Add a link').click()
  await page.getByLabel('Title').fill('vLLM dashboard, rag-chat')
  await page.getByLabel('URL').fill('https://grafana.example/d/vllm?var-pipeline=rag-chat')
  await page.getByRole('button', { name: 'Add link' }).click()
  await expect(page.getByRole('link', { name: 'vLLM dashboard, rag-chat' })).toHaveAttribute('href', 'https://grafana.example/d/vllm?var-pipeline=rag-chat')

  await page.getByLabel('Status', { exact: true }).selectOption('mitigated')
  await expect(page.locator('.status').first()).toHaveText('mitigated')
  const timeline = page.getByTestId('timeline')
  for (const text of ['Status triggered → acknowledged', 'Rae Responder is now commander', 'Rae Responder is now scribe', 'Status acknowledged → mitigated', '2 alerts fired']) {
    await expect(timeline).toContainText(text)
  }
  await page.screenshot({ path: test.info().outputPath('incident-room.png'), fullPage: true })

  // the link is stable: a colleague pasting it lands on the same room
  const colleague = await page.context().browser()!.newContext({ baseURL: E2E.appUrl })
  const theirs = await colleague.newPage()
  await signInAs(theirs, 'editor')
  await theirs.goto(`/incidents/${incidentNumber}`)
  await expect(theirs.getByTestId('timeline')).toContainText('KV cache at 0.98 on every replica')
  await colleague.close()
})

test('a responder declares an incident by hand and lands in its room as commander', async ({ page }) => {
  await signInAs(page, 'responder')
  await page.goto('/incidents')
  await page.getByText('Declare an incident').click()
  await page.getByLabel('Title').fill('Judge scores below 0.9 of baseline on rag-chat')
  await page.getByLabel('Severity').selectOption('SEV3')
  await page.getByLabel('Pipeline').fill('rag-chat')
  await page.getByLabel(/Models/).fill('llama-3-70b-instruct, judge-8b')
  await page.getByRole('button', { name: 'Declare and take command' }).click()
  await expect(page).toHaveURL(/\/incidents\/\d+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Judge scores below 0.9 of baseline on rag-chat')
  await expect(page.getByTestId('commander')).toHaveText('Rae Responder')
  await expect(page.getByText('No alerts: this incident was declared by hand.')).toBeVisible()
})

test('a viewer sees the room without controls, and the API refuses their changes', async ({ page, request }) => {
  const { incidentNumber } = await (await postWebhook(request, token, alertGroup({ groupKey: `viewer-${Date.now()}`, count: 1 }))).json()
  await signInAs(page, 'viewer')
  await page.goto(`/incidents/${incidentNumber}`)
  await expect(page.getByText('your role cannot change it')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0)
  await expect(page.getByLabel(/Add a note/)).toHaveCount(0)

  const before = await (await page.request.get(`/api/incidents/${incidentNumber}`)).json()
  const patch = await page.request.patch(`/api/incidents/${incidentNumber}`, { data: { status: 'resolved' } })
  expect(patch.status()).toBe(403)
  const note = await page.request.post(`/api/incidents/${incidentNumber}/timeline`, { data: { kind: 'note', body: 'sneaky' } })
  expect(note.status()).toBe(403)
  const declare = await page.request.post('/api/incidents', { data: { title: 'Sneaky incident', severity: 'SEV1' } })
  expect(declare.status()).toBe(403)
  expect(await (await page.request.get(`/api/incidents/${incidentNumber}`)).json()).toEqual(before)
})

test('an incident room link that does not exist says so', async ({ page }) => {
  await signInAs(page, 'viewer')
  await page.goto('/incidents/999999')
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible()
  expect((await page.request.get('/api/incidents/999999')).status()).toBe(404)
  expect((await page.request.get('/api/incidents/not-a-number')).status()).toBe(400)
})
