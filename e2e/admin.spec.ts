import { expect, test } from '@playwright/test'
import { signInAs } from './support/auth'

test('an admin invites a user, changes their role and disables them, and the audit log shows each step', async ({ page }, testInfo) => {
  await signInAs(page, 'admin')
  await page.goto('/admin/users')
  const email = `invitee-${Date.now()}@example.com`
  const invite = page.getByRole('region', { name: 'Invite a user' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Invite a user' }) }))
  await invite.getByLabel('Email').fill(email)
  await invite.getByLabel('Name').fill('Ivy Invitee')
  await invite.getByLabel('Role').selectOption('viewer')
  await invite.getByRole('button', { name: 'Create user' }).click()
  await expect(page.getByTestId('users-message')).toContainText(`Created ${email}. One-time password`)

  const row = page.getByTestId(`user-${email}`)
  await row.getByLabel(`Role of ${email}`).selectOption('responder')
  await expect(page.getByTestId('users-message')).toContainText(`Saved ${email}: responder`)
  await row.getByRole('button', { name: `Disable ${email}` }).click()
  await expect(row.getByText('disabled')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('admin-users.png'), fullPage: true })

  await page.goto(`/admin/audit?actor=admin%40firebreak.demo&action=user.`)
  const rows = page.locator('tbody tr', { hasText: 'user.' })
  await expect(rows.filter({ hasText: 'user.create' }).filter({ hasText: email }).first()).toBeVisible()
  const updates = rows.filter({ hasText: 'user.update' })
  await expect(updates.filter({ hasText: 'role: viewer → responder' })).toHaveCount(1)
  await expect(updates.filter({ hasText: 'disabled: false → true' })).toHaveCount(1)
  await page.screenshot({ path: testInfo.outputPath('audit-log.png'), fullPage: true })
})

test('creating a user whose email exists says so and changes nothing', async ({ page }) => {
  await signInAs(page, 'admin')
  const response = await page.request.post('/api/users', { data: { email: 'editor@firebreak.demo', name: 'Dup', role: 'admin', password: 'long-enough-password' } })
  expect(response.status()).toBe(409)
  expect((await response.json()).error.message).toContain('already exists')
  const users = (await (await page.request.get('/api/users')).json()).users
  expect(users.find((u: { email: string }) => u.email === 'editor@firebreak.demo').role).toBe('editor')
})
