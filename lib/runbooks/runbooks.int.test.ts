import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import { useTestDatabase } from '@/tests/db'
import { getRunbook, publishRevision, restoreRevision, RunbookConflictError, saveRevision, submitRevision } from './index'
import { provisionRunbooks } from './provision'

const SHIPPED = path.resolve(import.meta.dirname, '../../runbooks')
const editor = (id: string, name: string): RequestContext => ({ actor: { id, email: `${id}@example.com`, name, role: 'editor' } })
const eli = editor('rb-eli', 'Eli')
const eve = editor('rb-eve', 'Eve')

describe('runbook provisioning and revisions', () => {
  const { db } = useTestDatabase()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-runbooks-'))
  beforeAll(async () => {
    await db.user.createMany({ data: [{ id: 'rb-eli', email: 'rb-eli@example.com', name: 'Eli', role: 'editor' }, { id: 'rb-eve', email: 'rb-eve@example.com', name: 'Eve', role: 'editor' }], skipDuplicates: true })
    for (const f of ['gpu-oom.md', 'triage.md', 'latency-saturation.md']) fs.copyFileSync(path.join(SHIPPED, f), path.join(dir, f))
  })
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    await db.$disconnect()
  })

  it('loads the good files, reports a broken one by path and field, and is idempotent', async () => {
    fs.writeFileSync(path.join(dir, 'broken.md'), fs.readFileSync(path.join(SHIPPED, 'misrouting.md'), 'utf8').replace(/^pathway: .*$/m, 'pathway: astrology').replace(/^id: .*$/m, 'id: broken'))
    const first = await provisionRunbooks(db, dir)
    expect(first.created.sort()).toEqual(['gpu-oom', 'latency-saturation', 'triage'])
    expect(first.errors).toEqual([{ path: path.join(dir, 'broken.md'), problems: [expect.stringMatching(/^pathway: /)] }])
    const again = await provisionRunbooks(db, dir)
    expect(again.created).toEqual([])
    expect(again.unchanged.sort()).toEqual(['gpu-oom', 'latency-saturation', 'triage'])
    expect(await db.runbookRevision.count({ where: { runbookId: 'gpu-oom' } })).toBe(1)
    fs.rmSync(path.join(dir, 'broken.md'))
  })

  it('keeps in-app edits when a shipped runbook changes: the upgrade waits for review', async () => {
    const { revision } = await getRunbook(eli, 'triage')
    const edited = revision.content.replace('## Symptoms', '## Symptoms\n\nOur team pages the ML lead for SEV1 first.\n')
    await saveRevision(eli, 'triage', { content: edited, message: 'Team-specific paging', baseRevision: 1 })
    await submitRevision(eli, 'triage', 2)
    await publishRevision(eve, 'triage', 2)
    fs.writeFileSync(path.join(dir, 'triage.md'), fs.readFileSync(path.join(dir, 'triage.md'), 'utf8').replace(/^version: 1$/m, 'version: 2'))
    const report = await provisionRunbooks(db, dir)
    expect(report.upgraded).toEqual(['triage'])
    const after = await getRunbook(eli, 'triage')
    expect(after.runbook.publishedRevision).toBe(2)
    expect(after.revision.content).toContain('Our team pages the ML lead')
    const upgrade = await db.runbookRevision.findUniqueOrThrow({ where: { runbookId_number: { runbookId: 'triage', number: 3 } } })
    expect(upgrade).toMatchObject({ status: 'in_review', source: 'upgrade' })
    expect((await provisionRunbooks(db, dir)).upgraded).toEqual([])
  })

  it('lets one of two saves from the same base win and gives the other the winner’s text', async () => {
    const base = (await getRunbook(eli, 'gpu-oom')).runbook.headRevision
    const content = (await getRunbook(eli, 'gpu-oom')).revision.content
    const results = await Promise.allSettled([
      saveRevision(eli, 'gpu-oom', { content: content + '\nEli was here.\n', message: 'Eli edit', baseRevision: base }),
      saveRevision(eve, 'gpu-oom', { content: content + '\nEve was here.\n', message: 'Eve edit', baseRevision: base }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(lost[0].reason).toBeInstanceOf(RunbookConflictError)
    const conflict = (lost[0].reason as RunbookConflictError).conflict
    expect(conflict.theirs.content).toMatch(/(Eli|Eve) was here/)
    expect(conflict.headRevision).toBe(base + 1)
  })

  it('refuses content that would break the runbook, and an author publishing their own revision', async () => {
    const { revision, runbook } = await getRunbook(eli, 'latency-saturation')
    await expect(saveRevision(eli, 'latency-saturation', { content: revision.content.replace('```promql\n', '```promql\nsum(rate(\n'), message: 'bad', baseRevision: runbook.headRevision })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(saveRevision(eli, 'latency-saturation', { content: revision.content.replace(/^id: .*$/m, 'id: renamed'), message: 'bad', baseRevision: runbook.headRevision })).rejects.toMatchObject({ code: 'validation_failed' })
    const saved = await saveRevision(eli, 'latency-saturation', { content: revision.content + '\n', message: 'whitespace', baseRevision: runbook.headRevision })
    await submitRevision(eli, 'latency-saturation', saved.number)
    await expect(publishRevision(eli, 'latency-saturation', saved.number)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(saveRevision({ actor: { ...eli.actor!, role: 'responder' } }, 'latency-saturation', { content: revision.content, message: 'no', baseRevision: saved.number })).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('restores an old revision as a new draft without rewriting history', async () => {
    const { runbook } = await getRunbook(eli, 'triage')
    const restored = await restoreRevision(eli, 'triage', 1, runbook.headRevision)
    expect(restored).toMatchObject({ number: runbook.headRevision + 1, status: 'draft', message: 'Restore revision 1' })
    const original = await db.runbookRevision.findUniqueOrThrow({ where: { runbookId_number: { runbookId: 'triage', number: 1 } } })
    expect(restored.content).toBe(original.content)
  })
})
