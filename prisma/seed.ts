/**
 * Demo users (one per role) and demo content. Idempotent: running it again creates nothing twice and leaves
 * anything a person changed (a role, a disabled flag) alone.
 */
import { hashPassword } from '@/lib/auth/passwords'
import type { Role } from '@/lib/auth/permissions'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import fs from 'node:fs'
import path from 'node:path'
import { DEMO_EPOCH_SETTING } from '@/lib/demo/story'
import { demoTraces } from '@/lib/demo/traces'
import { summarize } from '@/lib/traces/model'
import { storeSpans } from '@/lib/traces/store'
import { groupKeyOf } from './demo-incidents'
import { demoStory } from '@/lib/demo/story'
import { importOpenSlo } from '@/lib/slo/openslo'
import { seedDemoIncidents } from './demo-incidents'

/** SLOs a team running LLM inference needs; the demo's scenarios exercise each. */
export const DEMO_SLO_FILE = path.resolve(import.meta.dirname, '../examples/openslo/llm-inference.yaml')

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
  slosCreated: number
  casesCreated: number
}

/**
 * The moment the demo story is told from (lib/demo/story.ts): set once, at the first seed, and kept, so the demo
 * telemetry and the demo incidents stay in step across restarts.
 */
export async function demoEpoch(db: PrismaClient, now: Date = new Date()): Promise<Date> {
  await db.setting.createMany({ data: [{ key: DEMO_EPOCH_SETTING, value: now.toISOString() }], skipDuplicates: true })
  const row = await db.setting.findUniqueOrThrow({ where: { key: DEMO_EPOCH_SETTING } })
  return new Date(row.value as string)
}

/**
 * The story's traces, stored as if the OTLP receiver had received them, and the summarizer's cut-off answer pinned as
 * a case on the summarizer incident (created once; a person may have edited or deleted it since).
 */
async function seedDemoTraces(db: PrismaClient, epoch: Date): Promise<number> {
  const traces = demoTraces(epoch)
  for (const { trace } of traces) await storeSpans(db, trace.spans)
  const { trace } = traces.find((t) => t.key === 'summarizer')!
  // claim the one-time case with an insert that only one seeder can win, so two seeders at once make one case
  const { count } = await db.setting.createMany({ data: [{ key: 'demo.case-seeded', value: true }], skipDuplicates: true })
  if (count === 0) return 0
  const summary = summarize(trace)
  const incident = await db.incident.findFirst({ where: { groupKey: groupKeyOf(demoStory(epoch)[1]) }, select: { id: true } })
  {
    const tx = db
    await tx.traceCase.create({
      data: {
        title: 'Summaries cut off at 256 tokens after the max_tokens change',
        traceId: trace.traceId,
        category: 'token-budget-exhaustion',
        notes: 'The summarizer deploy lowered max_tokens from 1024 to 256. Completions now stop with finish_reason "length" and the post-processor passes the cut-off text through unchanged.',
        tags: ['max_tokens', 'summarizer'],
        pipeline: 'summarizer',
        models: summary.models,
        source: trace.source,
        snapshot: JSON.parse(JSON.stringify(trace)),
        spanCount: summary.spanCount,
        traceStartedAt: new Date(summary.startUs / 1000),
        pinnedByName: 'Firebreak demo',
        ...(incident ? { incidents: { create: [{ incidentId: incident.id }] } } : {}),
      },
    })
  }
  return 1
}

async function seedDemoSlos(db: PrismaClient): Promise<number> {
  let created = 0
  for (const slo of importOpenSlo(fs.readFileSync(DEMO_SLO_FILE, 'utf8'))) {
    const { count } = await db.slo.createMany({
      data: [{ name: slo.name, displayName: slo.displayName, service: slo.service, description: slo.description ?? null, objective: slo.objective, periodDays: Math.round(slo.periodDays), sli: slo.sli as object, origin: 'openslo', minEvents: 10 }],
      skipDuplicates: true,
    })
    created += count
  }
  return created
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
  const epoch = await demoEpoch(db)
  const incidentsCreated = await seedDemoIncidents(db, epoch)
  return { usersCreated, incidentsCreated, slosCreated: await seedDemoSlos(db), casesCreated: await seedDemoTraces(db, epoch) }
}
