/**
 * Demo users (one per role) and demo content. Idempotent: running it again creates nothing twice and leaves
 * anything a person changed (a role, a disabled flag) alone.
 */
import { hashPassword } from '@/lib/auth/passwords'
import type { Role } from '@/lib/auth/permissions'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { seedDemoIncidents } from './demo-incidents'

export interface DemoAccount {
  email: string
  name: string
  role: Role
  password: string
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@firebreak.demo', name: 'Ada Admin', role: 'admin', password: 'demo-admin-password' },
  { email: 'editor@firebreak.demo', name: 'Eli Editor', role: 'editor', password: 'demo-editor-password' },
  { email: 'responder@firebreak.demo', name: 'Rae Responder', role: 'responder', password: 'demo-responder-password' },
  { email: 'viewer@firebreak.demo', name: 'Vic Viewer', role: 'viewer', password: 'demo-viewer-password' },
]

export interface SeedReport {
  usersCreated: number
  incidentsCreated: number
}

export async function seedDemo(db: PrismaClient): Promise<SeedReport> {
  let usersCreated = 0
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = await hashPassword(account.password)
    const created = await db.$transaction(async (tx) => {
      // ON CONFLICT DO NOTHING: two seeders racing still create one row.
      const inserted = await tx.$executeRaw`
        INSERT INTO users (id, email, name, role, "passwordHash", origin, "updatedAt")
        VALUES (${'demo-' + account.role}, ${account.email}, ${account.name}, ${account.role}::"Role", ${passwordHash}, 'local', now())
        ON CONFLICT DO NOTHING`
      if (inserted === 1) {
        await tx.auditEvent.create({
          data: { action: 'user.create', targetType: 'user', targetId: 'demo-' + account.role, after: { email: account.email, role: account.role, origin: 'seed' } },
        })
      }
      return inserted === 1
    })
    if (created) usersCreated++
  }
  return { usersCreated, incidentsCreated: await seedDemoIncidents(db) }
}
