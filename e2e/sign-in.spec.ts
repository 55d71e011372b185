import { expect, test } from '@playwright/test'
import { demoAccount, signInAs, signInByApi } from './support/auth'
import { E2E } from './support/ports'

test('a bad password gets a clear message and no session', async ({ page }) => {
  await page.goto('/signin')
  await page.getByLabel('Email').fill(demoAccount('editor').email)
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByTestId('signin-error')).toHaveText('That email and password do not match an active account.')
  expect((await page.request.get('/api/me')).status()).toBe(401)
})

test('a pasted link survives sign-in: the user lands where the link pointed', async ({ page }) => {
  await page.goto('/admin/audit?action=user.')
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/)
  const admin = demoAccount('admin')
  await page.getByLabel('Email').fill(admin.email)
  await page.getByLabel('Password').fill(admin.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page).toHaveURL(/\/admin\/audit\?action=user\./)
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
})

test('repeated failed sign-ins are rate-limited, even when the right password follows', async ({ page, request }) => {
  await signInAs(page, 'admin')
  const email = `locked-${Date.now()}@example.com`
  const password = 'a-long-enough-password'
  expect((await page.request.post('/api/users', { data: { email, name: 'Locked Out', role: 'viewer', password } })).status()).toBe(201)

  await request.get('/signin')
  for (let i = 0; i < 5; i++) {
    const { csrfToken } = await (await request.get('/api/auth/csrf')).json()
    await request.post('/api/auth/callback/credentials', { form: { csrfToken, email, password: `wrong-${i}`, json: 'true' }, maxRedirects: 0 })
  }
  const signInPage = await page.context().browser()!.newPage({ baseURL: E2E.appUrl })
  await signInPage.goto('/signin')
  await signInPage.getByLabel('Email').fill(email)
  await signInPage.getByLabel('Password').fill(password)
  await signInPage.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(signInPage.getByTestId('signin-error')).toContainText('Too many failed sign-ins')
  await signInPage.close()
})

test('sign-in through OIDC against a real OpenID provider creates a viewer account', async ({ page }) => {
  const login = `oncall${Date.now()}`
  await page.goto('/signin')
  await page.getByRole('button', { name: `Sign in with ${E2E.oidcDisplayName}` }).click()
  await expect(page).toHaveURL(new RegExp(`^${E2E.oidcIssuer}`))
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('anything')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page).toHaveURL(`${E2E.appUrl}/`)
  await expect(page.getByTestId('whoami')).toContainText(`${login}@sso.example`)
  await expect(page.getByTestId('role')).toHaveText('viewer')
})

test('a disabled user loses access on the very next request', async ({ browser, page }) => {
  await signInAs(page, 'admin')
  const email = `disable-me-${Date.now()}@example.com`
  const password = 'another-long-password'
  const created = await (await page.request.post('/api/users', { data: { email, name: 'Disable Me', role: 'responder', password } })).json()

  const theirs = await browser.newContext({ baseURL: E2E.appUrl })
  await signInByApi(theirs.request, email, password)
  expect((await (await theirs.request.get('/api/me')).json()).user.role).toBe('responder')

  await page.request.patch(`/api/users/${created.user.id}`, { data: { role: 'editor' } })
  expect((await (await theirs.request.get('/api/me')).json()).user.role).toBe('editor')

  await page.request.patch(`/api/users/${created.user.id}`, { data: { disabled: true } })
  expect((await theirs.request.get('/api/me')).status()).toBe(401)
  const pageOfTheirs = await theirs.newPage()
  await pageOfTheirs.goto('/')
  await expect(pageOfTheirs).toHaveURL(/\/signin/)
  await theirs.close()
})
