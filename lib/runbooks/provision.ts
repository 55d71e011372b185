/**
 * Files in runbooks/ are the shipped source of truth; the database holds them as revisions so experts can edit in
 * the app. Provisioning runs at start-up and is idempotent (by content hash):
 *   - a new file becomes a runbook whose first revision is published;
 *   - a changed file (an upgrade) becomes a new revision "in review", never a silent overwrite of in-app edits;
 *   - a file with broken front matter is reported with its path and field, and the others still load.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { contentHash, parseRunbook } from './parse'

export interface ProvisionReport {
  created: string[]
  upgraded: string[]
  unchanged: string[]
  errors: { path: string; problems: string[] }[]
}

export const SHIPPED_AUTHOR = 'Firebreak (shipped runbooks)'

export async function provisionRunbooks(db: PrismaClient, dir: string): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], upgraded: [], unchanged: [], errors: [] }
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort() : []
  for (const file of files) {
    const filePath = path.join(dir, file)
    const text = fs.readFileSync(filePath, 'utf8')
    const parsed = parseRunbook(text)
    if (!parsed.ok) {
      report.errors.push({ path: filePath, problems: parsed.errors })
      continue
    }
    const fm = parsed.frontMatter
    if (`${fm.id}.md` !== file) {
      report.errors.push({ path: filePath, problems: [`id: "${fm.id}" does not match the file name (expected ${file.replace(/\.md$/, '')})`] })
      continue
    }
    const hash = contentHash(text)
    const outcome = await db.$transaction(async (tx) => {
      const [existing] = await tx.$queryRaw<{ shippedHash: string | null; headRevision: number }[]>`
        SELECT "shippedHash", "headRevision" FROM runbooks WHERE id = ${fm.id} FOR UPDATE`
      const fields = { title: fm.title, failureClass: fm.failureClass, errorState: fm.errorState, pathway: fm.pathway, owners: fm.owners, signals: fm.signals }
      if (!existing) {
        const created = await tx.runbook.createMany({ data: [{ id: fm.id, ...fields, publishedRevision: 1, headRevision: 1, shippedHash: hash }], skipDuplicates: true })
        if (created.count === 0) return 'unchanged' as const
        await tx.runbookRevision.create({
          data: { runbookId: fm.id, number: 1, content: text, message: 'Shipped with Firebreak', status: 'published', source: 'shipped', authorName: SHIPPED_AUTHOR },
        })
        return 'created' as const
      }
      if (existing.shippedHash === hash) return 'unchanged' as const
      const number = existing.headRevision + 1
      await tx.runbookRevision.create({
        data: {
          runbookId: fm.id, number, content: text, basedOn: existing.headRevision, status: 'in_review', source: 'upgrade', authorName: SHIPPED_AUTHOR,
          message: `Upgrade: the shipped runbook changed (version ${fm.version}). Review it against the in-app edits before publishing.`,
        },
      })
      await tx.runbook.update({ where: { id: fm.id }, data: { headRevision: number, shippedHash: hash } })
      return 'upgraded' as const
    })
    report[outcome].push(fm.id)
  }
  return report
}

export function formatProvisionErrors(report: ProvisionReport): string[] {
  return report.errors.map((e) => `runbook ${e.path}: ${e.problems.join('; ')} (skipped; the other runbooks loaded)`)
}
