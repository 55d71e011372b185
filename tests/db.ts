import { inject } from 'vitest'
import { createPrismaClient } from '@/lib/db/client'

/** Points the app's own modules (getEnv, getDb) at this run's fresh database, and gives the test a client of its own. */
export function useTestDatabase() {
  const url = inject('databaseUrl')
  process.env.DATABASE_URL = url
  return { url, db: createPrismaClient(url) }
}
