import 'server-only'
import { getDb } from '@/lib/db'

export interface HealthReport {
  status: 'ok' | 'degraded'
  checkedAt: string
  database: { status: 'up' | 'down'; latencyMs?: number; migrations?: number; error?: string }
}

export async function checkHealth(): Promise<HealthReport> {
  const started = performance.now()
  try {
    const rows = await getDb().$queryRaw<{ applied: bigint }[]>`SELECT count(*) AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL`
    return {
      status: 'ok',
      checkedAt: new Date().toISOString(),
      database: { status: 'up', latencyMs: Math.round(performance.now() - started), migrations: Number(rows[0]?.applied ?? 0) },
    }
  } catch {
    return { status: 'degraded', checkedAt: new Date().toISOString(), database: { status: 'down', error: 'PostgreSQL did not answer' } }
  }
}
