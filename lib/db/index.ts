import 'server-only'
import { getEnv } from '@/lib/env'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { createPrismaClient } from './client'

export { Prisma } from '@/lib/generated/prisma/client'
export type { PrismaClient } from '@/lib/generated/prisma/client'

const globalForPrisma = globalThis as unknown as { firebreakPrisma?: PrismaClient }

/** One client per process (kept on globalThis so dev-mode reloads do not open new pools). */
export function getDb(): PrismaClient {
  globalForPrisma.firebreakPrisma ??= createPrismaClient(getEnv().databaseUrl)
  return globalForPrisma.firebreakPrisma
}
