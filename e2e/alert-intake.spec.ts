import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type APIRequestContext } from '@playwright/test'
import pg from 'pg'
import { createPrismaClient } from '@/lib/db/client'
import { findFreePort, startEmbeddedPostgres } from '@/lib/db/embedded-postgres'
import { seedDemo } from '@/prisma/seed'
import { applyMigrations } from '@/scripts/lib/migrate'
import { alertGroup } from '@/tests/alert-payloads'
import { createAlertmanagerToken, createTokenAsAdmin, postWebhook, tableCounts } from './support/api'
import { startNext } from './support/app-server'
import { signInAs } from './support/auth'
import { E2E } from './support/ports'

let token: string

test.beforeAll(async ({ browser }) => {
  token = await createTokenAsAdmin(browser, E2E.appUrl)
})

async function expectRefused(request: APIRequestContext, send: () => ReturnType<APIRequestContext['post']>, status: number, message: RegExp) {
  const before = await tableCounts()
  const response = await send()
  expect(response.status()).toBe(status)
  const body = (await response.json()) as { error: { message: string; issues?: { path: string }[] } }
  expect(body.error.message).toMatch(message)
  expect(JSON.stringify(body)).not.toMatch(/node_modules|\.ts:\d+|at async/)
  expect(await tableCounts()).toEqual(before)
  return body
}

test('bad deliveries get the right 4xx with a message that says what is wrong, and change nothing', async ({ request }) => {
  const valid = alertGroup({ groupKey: 'bad-input', count: 2 })
  await expectRefused(request, () => request.post('/api/alerts/alertmanager', { data: valid }), 401, /Authorization: Bearer/)
  await expectRefused(request, () => postWebhook(request, 'fbk_alertmanager_wrong', valid), 401, /not a valid alertmanager token/)
  await expectRefused(request, () => postWebhook(request, token, ''), 400, /body is empty/)
  await expectRefused(request, () => postWebhook(request, token, '{"status": "firing", "alerts": ['), 400, /not valid JSON/)
  const wrongTypes = await expectRefused(
    request,
    () => postWebhook(request, token, JSON.stringify({ ...valid, truncatedAlerts: 'many', alerts: [{ ...valid.alerts[0], labels: { alertname: 7 } }] })),
    400,
    /not valid/,
  )
  expect(wrongTypes.error.issues!.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['truncatedAlerts', 'alerts.0.labels.alertname']))
  const missing = await expectRefused(request, () => postWebhook(request, token, JSON.stringify({ receiver: 'firebreak' })), 400, /not valid/)
  expect(missing.error.issues!.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['status', 'alerts']))
  const fiftyMegabytes = JSON.stringify({ ...valid, padding: 'x'.repeat(50 * 1024 * 1024) })
  await expectRefused(request, () => postWebhook(request, token, fiftyMegabytes), 413, /larger than 32 MB/)
})

test('a revoked token stops working at once', async ({ browser, request }) => {
  const admin = await browser.newContext({ baseURL: E2E.appUrl })
  await signInAs(await admin.newPage(), 'admin')
  const revocable = await createAlertmanagerToken(admin.request, 'to-revoke')
  expect((await postWebhook(request, revocable, alertGroup({ groupKey: 'revoked-token', count: 1 }))).status()).toBe(200)
  const { tokens } = await (await admin.request.get('/api/tokens')).json()
  await admin.request.delete(`/api/tokens/${tokens.find((t: { name: string }) => t.name === 'to-revoke').id}`)
  await expectRefused(request, () => postWebhook(request, revocable, alertGroup({ groupKey: 'revoked-token-2', count: 1 })), 401, /revoked/)
  await admin.close()
})

test('the same delivery 50 times at once, split across two Firebreak instances on one database, yields one incident and one row per alert', async ({ request }) => {
  const second = await startNext(E2E.appPort + 2, {
    DATABASE_URL: process.env.E2E_DATABASE_URL!,
    NEXTAUTH_URL: `http://127.0.0.1:${E2E.appPort + 2}`,
    NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long',
  })
  try {
    const payload = alertGroup({ groupKey: `ha-pair-${Date.now()}`, count: 25 })
    const instances = [E2E.appUrl, `http://127.0.0.1:${E2E.appPort + 2}`]
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => postWebhook(request, token, payload, instances[i % 2])))
    expect(responses.map((r) => r.status())).toEqual(Array(50).fill(200))
    const bodies = await Promise.all(responses.map((r) => r.json()))
    expect(new Set(bodies.map((b) => b.incidentNumber)).size).toBe(1)
    expect(bodies.filter((b) => b.isNewIncident)).toHaveLength(1)
    expect(bodies.reduce((n, b) => n + b.alertsNew, 0)).toBe(25)

    const pgClient = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
    await pgClient.connect()
    const { rows } = await pgClient.query(
      `SELECT (SELECT count(*) FROM incidents WHERE "groupKey" = $1)::int AS incidents,
              (SELECT count(*) FROM alerts a JOIN incidents i ON i.id = a."incidentId" WHERE i."groupKey" = $1)::int AS alerts,
              (SELECT count(*) FROM timeline_entries t JOIN incidents i ON i.id = t."incidentId" WHERE i."groupKey" = $1 AND t.kind = 'alert.fired')::int AS fired`,
      [payload.groupKey],
    )
    await pgClient.end()
    expect(rows[0]).toEqual({ incidents: 1, alerts: 25, fired: 1 })
  } finally {
    second.kill('SIGTERM')
  }
})

test('a database outage during intake answers 503 so Alertmanager retries, and the same delivery succeeds once it is back', async ({ request }) => {
  test.setTimeout(180_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-outage-'))
  const port = await findFreePort()
  let database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), database: 'firebreak', port })
  await applyMigrations(database.url, { quiet: true })
  const db = createPrismaClient(database.url)
  await seedDemo(db)
  await db.$disconnect()
  const appPort = E2E.appPort + 3
  const app = await startNext(appPort, { DATABASE_URL: database.url, NEXTAUTH_URL: `http://127.0.0.1:${appPort}`, NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long' })
  const appUrl = `http://127.0.0.1:${appPort}`
  try {
    // an admin of the outage instance creates its token, as on any installation
    const { csrfToken } = await (await request.get(`${appUrl}/api/auth/csrf`)).json()
    await request.post(`${appUrl}/api/auth/callback/credentials`, { form: { csrfToken, email: 'admin@firebreak.demo', password: 'demo-admin-password', json: 'true' } })
    const outageToken = (await (await request.post(`${appUrl}/api/tokens`, { data: { name: 'outage', kind: 'alertmanager' } })).json()).secret
    const payload = alertGroup({ groupKey: 'outage-group', count: 3 })

    await database.stop()
    const during = await postWebhook(request, outageToken, payload, appUrl)
    expect(during.status()).toBe(503)
    expect(during.headers()['retry-after']).toBe('5')
    expect((await during.json()).error).toEqual({ code: 'unavailable', message: expect.stringContaining('Alertmanager will retry') })
    const health = await request.get(`${appUrl}/api/health`)
    expect(health.status()).toBe(503)

    database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), database: 'firebreak', port })
    await expect.poll(async () => (await postWebhook(request, outageToken, payload, appUrl)).status(), { timeout: 30_000 }).toBe(200)
    const again = await (await postWebhook(request, outageToken, payload, appUrl)).json()
    expect(again).toMatchObject({ isNewIncident: false, alertsNew: 0 })
  } finally {
    app.kill('SIGTERM')
    await database.stop().catch(() => undefined)
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
