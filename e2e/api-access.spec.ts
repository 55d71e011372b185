import { expect, test } from '@playwright/test'
import { signInAs } from './support/auth'

test('an unauthenticated API call gets 401 in the JSON error shape', async ({ request }) => {
  for (const [method, url] of [['GET', '/api/users'], ['POST', '/api/users'], ['GET', '/api/audit'], ['PATCH', '/api/users/x']] as const) {
    const response = await request.fetch(url, { method, data: method === 'GET' ? undefined : {} })
    expect(response.status(), `${method} ${url}`).toBe(401)
    const body = await response.json()
    expect(body).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('Sign in') } })
  }
})

test('a viewer trying to mutate through the API gets 403 and changes nothing', async ({ page, browser }) => {
  const admin = await browser.newContext({ baseURL: test.info().project.use.baseURL })
  await signInAs(await admin.newPage(), 'admin')
  type Row = { id: string; email: string; name: string; role: string; disabled: boolean }
  // what a mutation could change (the viewer's own sign-in moves lastSignInAt, which is fine)
  const accounts = async () =>
    ((await (await admin.request.get('/api/users')).json()).users as Row[]).map(({ id, email, name, role, disabled }) => ({ id, email, name, role, disabled }))
  const before = await accounts()
  // the viewer's own sign-in is audited too; what must not appear is any change to users
  const userChanges = async () => (await (await admin.request.get('/api/audit?limit=500&action=user.')).json()).events.length
  const auditBefore = await userChanges()

  await signInAs(page, 'viewer')
  const create = await page.request.post('/api/users', { data: { email: 'escalate@example.com', name: 'Escalate', role: 'admin', password: 'long-enough-password' } })
  expect(create.status()).toBe(403)
  expect((await create.json()).error.code).toBe('forbidden')
  const viewer = before.find((u) => u.email === 'viewer@firebreak.demo')!
  const promote = await page.request.patch(`/api/users/${viewer.id}`, { data: { role: 'admin' } })
  expect(promote.status()).toBe(403)
  expect((await page.request.get('/api/audit')).status()).toBe(403)

  expect(await accounts()).toEqual(before)
  expect(await userChanges()).toBe(auditBefore)
  await admin.close()
})

test('bad input gets a clear 400 naming the fields, never a stack trace, and creates nothing', async ({ page }) => {
  await signInAs(page, 'admin')
  const count = (await (await page.request.get('/api/users')).json()).users.length
  const invalid = await page.request.post('/api/users', { data: { email: 'not-an-email', name: '', role: 'root', password: 'short' } })
  expect(invalid.status()).toBe(400)
  const body = await invalid.json()
  expect(body.error.code).toBe('validation_failed')
  expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'name', 'password', 'role'])

  const malformed = await page.request.post('/api/users', { headers: { 'content-type': 'application/json' }, data: Buffer.from('{"email": ') })
  expect(malformed.status()).toBe(400)
  expect(await malformed.json()).toEqual({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } })
  const text = await (await page.request.patch('/api/users/does-not-exist', { data: { role: 'viewer' } })).text()
  expect(text).toContain('not_found')
  expect(text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/)
  expect((await (await page.request.get('/api/users')).json()).users.length).toBe(count)
})

test('the health endpoint reports the database state without a session', async ({ request }) => {
  const response = await request.get('/api/health')
  expect(response.status()).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'ok', database: { status: 'up', migrations: expect.any(Number) } })
})
