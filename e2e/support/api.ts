import { expect, type APIRequestContext, type Browser } from '@playwright/test'
import pg from 'pg'
import type { AlertmanagerWebhook } from '@/lib/alerts/schemas'
import { signInAs } from './auth'

/** An Alertmanager token created the way an admin does it, through the API. */
export async function createAlertmanagerToken(adminRequest: APIRequestContext, name = `am-${Date.now()}`): Promise<string> {
  const response = await adminRequest.post('/api/tokens', { data: { name, kind: 'alertmanager' } })
  expect(response.status()).toBe(201)
  return (await response.json()).secret
}

/** Signs in as the demo admin in a context of its own, creates a token, and closes the context. */
export async function createTokenAsAdmin(browser: Browser, baseURL: string, name?: string): Promise<string> {
  const admin = await browser.newContext({ baseURL })
  try {
    await signInAs(await admin.newPage(), 'admin')
    return await createAlertmanagerToken(admin.request, name)
  } finally {
    await admin.close()
  }
}

export function postWebhook(request: APIRequestContext, token: string, payload: AlertmanagerWebhook | string, baseURL?: string) {
  return request.post(`${baseURL ?? ''}/api/alerts/alertmanager`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    data: typeof payload === 'string' ? Buffer.from(payload) : payload,
  })
}

/** Row counts straight from PostgreSQL, to prove a refused request changed nothing. */
export async function tableCounts(databaseUrl = process.env.E2E_DATABASE_URL!): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM timeline_entries)::int AS timeline`,
    )
    return rows[0]
  } finally {
    await client.end()
  }
}

/** Waits until the app's metrics backend (a Prometheus that just started) has scraped itself at least once. */
export async function waitForMetricsData(request: APIRequestContext) {
  await expect
    .poll(async () => {
      const end = new Date()
      const params = new URLSearchParams({ query: 'up', start: new Date(end.getTime() - 600_000).toISOString(), end: end.toISOString() })
      return ((await (await request.get(`/api/metrics/query_range?${params}`)).json()).series ?? []).length
    }, { timeout: 45_000, intervals: [1_000] })
    .toBeGreaterThan(0)
}
