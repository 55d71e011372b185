import { expect, test } from '@playwright/test'
import { ROLES } from '@/lib/auth/permissions'
import { signInAs } from './support/auth'

for (const role of ROLES) {
  test(`a ${role} sees the shell with their role and only the sections they may use`, async ({ page }, testInfo) => {
    await signInAs(page, role)
    await page.goto('/')
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible()
    await expect(page.getByTestId('role')).toHaveText(role)
    await expect(page.getByText('Database')).toBeVisible()
    const nav = page.getByRole('navigation', { name: 'Main' })
    const isAdmin = role === 'admin'
    await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(isAdmin ? 1 : 0)
    await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(isAdmin ? 1 : 0)
    await page.screenshot({ path: testInfo.outputPath(`shell-${role}.png`), fullPage: true })
    await testInfo.attach(`shell-${role}`, { path: testInfo.outputPath(`shell-${role}.png`), contentType: 'image/png' })

    await page.goto('/admin/users')
    if (isAdmin) await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible()
    else await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible()
  })
}

test('sign-out ends the session', async ({ page }) => {
  await signInAs(page, 'responder')
  await page.goto('/')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/signin/)
  expect((await page.request.get('/api/me')).status()).toBe(401)
})
