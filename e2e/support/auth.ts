import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { DEMO_ACCOUNTS } from '@/prisma/seed'
import type { Role } from '@/lib/auth/permissions'

export function demoAccount(role: Role) {
  return DEMO_ACCOUNTS.find((a) => a.role === role)!
}

/** Signs in through next-auth's own credentials endpoint (not the form), sharing the cookies with the page. */
export async function signInByApi(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await request.get('/api/auth/csrf')).json()
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true' },
    maxRedirects: 0,
  })
  expect(response.status(), 'credentials callback').toBeLessThan(400)
  const me = await request.get('/api/me')
  expect(me.status(), `sign-in as ${email}`).toBe(200)
}

export async function signInAs(page: Page, role: Role) {
  const account = demoAccount(role)
  await signInByApi(page.request, account.email, account.password)
}
