import { randomBytes } from 'node:crypto'
import { expect, test, type Browser, type Page } from '@playwright/test'
import type { Role } from '@/lib/auth/permissions'
import { ragChatTrace } from '@/lib/traces/detectors/test-trace'
import { signInAs } from './support/auth'
import { E2E } from './support/ports'

async function pageAs(browser: Browser, role: Role): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E.appUrl })
  const page = await context.newPage()
  await signInAs(page, role)
  return page
}

/** A resolved incident on rag-chat, declared and resolved through the API the way the incident room does it. */
async function resolvedIncident(page: Page, title: string): Promise<number> {
  const declared = await page.request.post('/api/incidents', { data: { title, severity: 'SEV2', pipeline: 'rag-chat', models: 'llama-3.1-70b-instruct' } })
  expect(declared.status()).toBe(201)
  const { incident } = await declared.json()
  expect((await page.request.patch(`/api/incidents/${incident.number}`, { data: { status: 'resolved' } })).status()).toBe(200)
  return incident.number
}

/** The rag-chat trace cut off by max_tokens, imported as a case file (firebreak.case/v1) and linked to the incident. */
async function linkedCase(page: Page, incidentNumber: number, title: string): Promise<number> {
  const traceId = randomBytes(16).toString('hex')
  const trace = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'] } }).build()
  const document = { format: 'firebreak.case/v1', case: { title, category: 'token-budget-exhaustion' }, trace: { ...trace, traceId, spans: trace.spans.map((s) => ({ ...s, traceId })) } }
  const imported = await page.request.post('/api/cases/import', { data: document })
  expect(imported.status()).toBe(201)
  const { case: kase } = await imported.json()
  expect((await page.request.post(`/api/cases/${kase.number}/incidents`, { data: { incidentNumber } })).status()).toBe(200)
  return kase.number
}

test('a postmortem is written from a resolved incident, merged after a stale save, published and exported', async ({ browser }) => {
  const stamp = Date.now().toString(36)
  const rae = await pageAs(browser, 'responder')
  const incidentNumber = await resolvedIncident(rae, `Refund answers cut off ${stamp}`)
  const caseNumber = await linkedCase(rae, incidentNumber, `Refund answer stops mid-sentence ${stamp}`)

  // started from the incident (the incident room's "Start postmortem" posts the same request)
  const created = await rae.request.post('/api/postmortems', { data: { incidentNumber } })
  expect(created.status()).toBe(201)
  const { postmortem } = await created.json()
  const number: number = postmortem.number
  expect((await rae.request.post('/api/postmortems', { data: { incidentNumber } })).status()).toBe(409)

  await rae.goto(`/postmortems/${number}`)
  await expect(rae.getByTestId('postmortem-title')).toHaveText(`Refund answers cut off ${stamp}`)
  await expect(rae.getByTestId('postmortem-status')).toHaveText('draft')
  await expect(rae.getByTestId('postmortem-facts')).toContainText(`INC-${incidentNumber}`)
  await expect(rae.getByTestId('cited-cases')).toContainText(`CASE-${caseNumber}`)
  await expect(rae.getByTestId('timeline-editor').getByRole('textbox').first()).not.toHaveValue('')

  // write the sections a postmortem cannot be published without
  await rae.getByRole('textbox', { name: 'Impact', exact: true }).fill('4 % of refund answers were cut off for 50 minutes; about 1,900 users saw a truncated answer.')
  await rae.getByRole('textbox', { name: 'Detection', exact: true }).fill('The length-terminated alert fired after 5 minutes; no SLO measured complete answers per route.')
  await rae.getByRole('textbox', { name: 'Root cause and contributing factors', exact: true }).fill('Token budgets were set per route, not per answer class, and nothing measured the share of answers that hit them.')
  await rae.getByRole('checkbox', { name: 'Configuration' }).check()
  await rae.getByRole('textbox', { name: 'Resolution', exact: true }).fill('Raised max_tokens for refund answers to 1024; the share fell under 1 % within 10 minutes.')
  await rae.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(rae.getByTestId('save-message')).toHaveText('Saved as version 2.')

  // an action item with an owner and a due date in the past stands out as overdue
  await rae.getByLabel('New action item').fill(`Alert on length-terminated share per route ${stamp}`)
  await rae.getByRole('combobox', { name: 'Owner', exact: true }).selectOption({ label: 'Eli Editor' })
  await rae.getByLabel('Due date', { exact: true }).fill('2020-01-31')
  await rae.getByRole('combobox', { name: 'Priority', exact: true }).selectOption('p1')
  await rae.getByRole('button', { name: 'Add action item' }).click()
  const itemRow = rae.getByTestId('action-items').locator('tr', { hasText: `Alert on length-terminated share per route ${stamp}` })
  await expect(itemRow).toHaveClass(/overdue/)
  await expect(itemRow).toContainText('overdue')

  // Eli opens the same version; Rae saves first; Eli's save is stale and shows both texts
  const eli = await pageAs(browser, 'editor')
  await eli.goto(`/postmortems/${number}`)
  await rae.getByRole('textbox', { name: 'Trigger', exact: true }).fill('Release 2026.11.3 made the refund prompt 400 tokens longer (Rae).')
  await rae.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(rae.getByTestId('save-message')).toHaveText('Saved as version 3.')

  await eli.getByRole('textbox', { name: 'Lessons', exact: true }).fill('Per-route budgets hide per-class needs (Eli).')
  await eli.getByRole('button', { name: 'Save', exact: true }).click()
  const conflict = eli.getByTestId('save-conflict')
  await expect(conflict).toContainText('Rae Responder saved first')
  await expect(conflict.getByTestId('conflict-trigger').getByTestId('their-text')).toContainText('400 tokens longer (Rae)')
  await expect(conflict.getByTestId('conflict-lessons').getByTestId('your-text')).toContainText('Per-route budgets hide per-class needs (Eli).')
  await expect(eli.getByRole('textbox', { name: 'Lessons', exact: true })).toHaveValue('Per-route budgets hide per-class needs (Eli).')
  await eli.screenshot({ path: test.info().outputPath('postmortem-conflict.png'), fullPage: true })
  await conflict.getByRole('button', { name: 'Use theirs for trigger' }).click()
  await conflict.getByRole('button', { name: 'Save my text on top of version 3' }).click()
  await expect(eli.getByTestId('save-message')).toHaveText('Saved as version 4.')
  const merged = (await (await eli.request.get(`/api/postmortems/${number}`)).json()).postmortem
  expect(merged.content.sections.trigger).toContain('(Rae)')
  expect(merged.content.sections.lessons).toContain('(Eli)')

  // every save is a version: version 4 shows what Eli's merge changed against version 3
  await eli.goto(`/postmortems/${number}`)
  await eli.getByRole('link', { name: 'Version 4: open it and see what changed' }).click()
  await expect(eli).toHaveURL(new RegExp(`/postmortems/${number}/revisions/4$`))
  await expect(eli.getByTestId('diff').first()).toContainText('Per-route budgets hide per-class needs (Eli).')
  await eli.goto(`/postmortems/${number}`)

  // review and publish
  await eli.getByRole('button', { name: 'Submit for review' }).click()
  await expect(eli.getByTestId('postmortem-status')).toHaveText('in review')
  await eli.getByRole('button', { name: 'Publish' }).click()
  await expect(eli.getByTestId('postmortem-status')).toHaveText('published')
  await expect(eli.getByTestId('postmortem-document')).toContainText('Per-route budgets hide per-class needs (Eli).')
  await expect(eli.getByRole('textbox', { name: 'Impact', exact: true })).toHaveCount(0)

  // the overdue item is on the cross-postmortem list
  await eli.goto('/action-items?overdue=1')
  await expect(eli.getByTestId('action-items').locator('tr.overdue', { hasText: `Alert on length-terminated share per route ${stamp}` })).toBeVisible()

  // the case links back to the postmortem
  const citing = await (await eli.request.get(`/api/postmortems?case=${caseNumber}`)).json()
  expect(citing.postmortems.map((p: { number: number }) => p.number)).toEqual([number])

  // the markdown export has every section, the facts and the links back
  const exported = await eli.request.get(`/api/postmortems/${number}/export`)
  expect(exported.headers()['content-type']).toContain('text/markdown')
  const markdown = await exported.text()
  for (const heading of ['Summary', 'Facts', 'Timeline', 'Impact', 'Detection', 'Root cause and contributing factors', 'Trigger', 'Resolution', 'What went well', 'What went wrong', 'Where we got lucky', 'Lessons', 'Traced cases', 'Action items']) {
    expect(markdown).toContain(`\n## ${heading}\n`)
  }
  // absolute links, so the file works wherever it is pasted
  expect(markdown).toContain(`[INC-${incidentNumber}](${E2E.appUrl}/incidents/${incidentNumber})`)
  expect(markdown).toContain(`[CASE-${caseNumber}](${E2E.appUrl}/cases/${caseNumber})`)
  expect(markdown).toContain(`[open in Firebreak](${E2E.appUrl}/postmortems/${number})`)
  expect(markdown).toContain('400 tokens longer (Rae)')
  expect(markdown).toMatch(/Alert on length-terminated share per route \S+ \| Eli Editor \| 2020-01-31 \(overdue\) \| P1 \| open/)

  // the print view is the clean document
  await eli.goto(`/postmortems/${number}/print`)
  await expect(eli.getByTestId('print-view')).toContainText('Per-route budgets hide per-class needs (Eli).')
  await expect(eli.getByRole('navigation', { name: 'Main' })).toBeHidden()
  await eli.context().close()
  await rae.context().close()
})

test('hostile markdown in a postmortem is dropped or shown as text in the print view, never run', async ({ browser }) => {
  const stamp = Date.now().toString(36)
  const rae = await pageAs(browser, 'responder')
  const dialogs: string[] = []
  rae.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  const incidentNumber = await resolvedIncident(rae, `Hostile markdown ${stamp}`)
  const { postmortem } = await (await rae.request.post('/api/postmortems', { data: { incidentNumber } })).json()
  const payloads = [
    '<script>window.__xss = "script"</script>',
    '<img src=x onerror="window.__xss = \'img\'">',
    '<svg/onload=window.__xss=1>',
    '<iframe src="javascript:parent.__xss=1"></iframe>',
    '<a href="jav&#x09;ascript:window.__xss=1">tab link</a>',
    '<body onload=window.__xss=1>',
    '[markdown link](javascript:window.__xss=1)',
    '![image](javascript:window.__xss=1)',
    '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<div style="background:url(javascript:window.__xss=1)">styled</div>',
    '"><script>alert(document.cookie)</script>',
  ].join('\n\n')
  const content = {
    ...postmortem.content,
    summary: `Summary text. ${payloads}`,
    sections: { ...postmortem.content.sections, impact: `Impact text.\n\n${payloads}`, 'went-wrong': payloads },
    factors: [{ area: 'configuration', text: '<img src=x onerror="window.__xss=\'factor\'">' }],
    timeline: [...postmortem.content.timeline, { id: 'hostile', at: new Date().toISOString(), text: '<script>window.__xss="timeline"</script>', kind: 'added', pinned: true }],
  }
  const saved = await rae.request.put(`/api/postmortems/${postmortem.number}`, { data: { version: postmortem.version, title: '<img src=x onerror=alert(1)> title', content } })
  expect(saved.status()).toBe(200)

  await rae.goto(`/postmortems/${postmortem.number}/print`)
  const article = rae.getByTestId('print-view')
  await expect(article).toContainText('Impact text.')
  await expect(article).toContainText('<script>window.__xss="timeline"</script>')
  await expect(article).toContainText('Summary text.')
  await article.getByText('markdown link').first().click()
  expect(await rae.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  expect(dialogs).toEqual([])
  await expect(article.locator('script, iframe, svg, [onerror], [onload], [style*="javascript"]')).toHaveCount(0)
  for (const href of await article.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) expect(href).not.toMatch(/^\s*(javascript|data):/i)
  const csp = (await rae.request.get(`/postmortems/${postmortem.number}/print`)).headers()['content-security-policy']
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/)

  // a viewer reads it and cannot change it
  const vic = await pageAs(browser, 'viewer')
  await vic.goto(`/postmortems/${postmortem.number}`)
  await expect(vic.getByTestId('postmortem-document')).toContainText('Impact text.')
  await expect(vic.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0)
  expect((await vic.request.put(`/api/postmortems/${postmortem.number}`, { data: { version: 2, title: 'viewer edit', content } })).status()).toBe(403)
  await vic.context().close()
  await rae.context().close()
})
