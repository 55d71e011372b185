/** The app under test: a production build (`next start`) on a free port, on a freshly migrated and seeded database. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { hashToken } from '@/lib/tokens/hash'
import { createPrismaClient } from '@/lib/db/client'
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded-postgres'
import { seedDemo } from '@/prisma/seed'
import { applyMigrations } from '../lib/migrate'
import { sleep } from './report'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const INGEST_TOKEN = 'fbk_alertmanager_benchmark-token-not-secret'
const SECRET = 'benchmark-secret-that-is-32-characters'

export type Db = ReturnType<typeof createPrismaClient>

export interface BenchDatabase {
  url: string
  db: Db
  stop(): Promise<void>
}

/** Embedded PostgreSQL in `dir`, migrated and seeded with the demo accounts and a benchmark ingest token. */
export async function startDatabase(dir: string): Promise<BenchDatabase> {
  const database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), database: 'firebreak' })
  try {
    await applyMigrations(database.url, { quiet: true })
    const db = createPrismaClient(database.url)
    await seedDemo(db)
    await db.ingestToken.create({ data: { name: 'bench', kind: 'alertmanager', tokenHash: hashToken(INGEST_TOKEN), prefix: INGEST_TOKEN.slice(0, 16) } })
    return {
      url: database.url,
      db,
      stop: async () => {
        await db.$disconnect()
        await database.stop()
      },
    }
  } catch (error) {
    await database.stop()
    throw error
  }
}

export interface BenchApp {
  url: string
  stop(): Promise<void>
}

/** `next start` against the database; `env` adds to the app's environment (PROMETHEUS_URL for the telemetry ones). */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchApp> {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('no production build: run npm run build first')
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXTAUTH_URL: url, NEXTAUTH_SECRET: SECRET, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', PROMETHEUS_URL: '', FIREBREAK_DEMO_TELEMETRY: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  child.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-8000)))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))])
  }
  for (let i = 0; ; i++) {
    if (await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false)) break
    if (child.exitCode !== null || i > 240) {
      await stop()
      throw new Error(`the app did not start on ${url}\n${log}`)
    }
    await sleep(250)
  }
  return { url, stop }
}

export { signIn } from '../lib/sign-in'
