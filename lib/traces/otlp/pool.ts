/**
 * The receiver's own small pg pool on DATABASE_URL, for span writes and pruning (see SpanStoreDb in
 * lib/traces/store): a few connections beside Prisma's pool, one per concurrent write plus one for pruning.
 */
import pg from 'pg'
import { getEnv } from '@/lib/env'
import { logger } from '@/lib/logger'
import { getOtlpLimits } from './config'

const holder = globalThis as unknown as { firebreakOtlpPool?: pg.Pool }

export function createOtlpPool(connectionString: string, maxConnections: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, statement_timeout: 60_000 })
  // an idle connection dropped by a database restart must not take the process down: the next write reconnects
  pool.on('error', (error) => logger.warn('OTLP receiver: a pooled database connection failed; it will be replaced', { error }))
  return pool
}

export function getOtlpPool(): pg.Pool {
  holder.firebreakOtlpPool ??= createOtlpPool(getEnv().databaseUrl, getOtlpLimits().maxConcurrentWrites + 1)
  return holder.firebreakOtlpPool
}
