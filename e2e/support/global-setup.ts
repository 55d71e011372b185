/**
 * One environment for the e2e run: a fresh embedded PostgreSQL (or a fresh database on DATABASE_URL's server),
 * migrated and seeded with the demo users, a real OpenID provider, and the production build under `next start`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createPrismaClient } from '@/lib/db/client'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded-postgres'
import { formatProvisionErrors, provisionRunbooks } from '@/lib/runbooks/provision'
import { seedDemo } from '@/prisma/seed'
import { applyMigrations } from '@/scripts/lib/migrate'
import { ROOT, startNext } from './app-server'
import { startOidcProvider } from './oidc-provider'
import { startSelfScrapingPrometheus } from './observability'
import { E2E } from './ports'

export default async function globalSetup() {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('No production build: run `npm run build` first (npm test does).')
  let embedded: EmbeddedDatabase | undefined
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-e2e-'))
  let databaseUrl: string
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL)
    const name = `firebreak_e2e_${Date.now()}`
    admin.pathname = '/postgres'
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    await client.query(`CREATE DATABASE "${name}"`)
    await client.end()
    admin.pathname = `/${name}`
    databaseUrl = admin.toString()
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), database: 'firebreak' })
    databaseUrl = embedded.url
  }
  await applyMigrations(databaseUrl, { quiet: true })
  const db = createPrismaClient(databaseUrl)
  await seedDemo(db)
  const runbooks = await provisionRunbooks(db, path.join(ROOT, 'runbooks'))
  if (runbooks.errors.length) throw new Error(formatProvisionErrors(runbooks).join('\n'))
  await db.$disconnect()
  process.env.E2E_DATABASE_URL = databaseUrl

  const oidc = await startOidcProvider()
  // A real Prometheus scraping itself: the metrics backend for live PromQL blocks.
  const prometheus = await startSelfScrapingPrometheus()
  process.env.E2E_PROMETHEUS_URL = prometheus.url
  const app = await startNext(E2E.appPort, {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: E2E.appUrl,
    NEXTAUTH_SECRET: 'e2e-secret-that-is-at-least-32-characters-long',
    OIDC_ISSUER: E2E.oidcIssuer,
    OIDC_CLIENT_ID: E2E.oidcClientId,
    OIDC_CLIENT_SECRET: E2E.oidcClientSecret,
    OIDC_DISPLAY_NAME: E2E.oidcDisplayName,
    PROMETHEUS_URL: prometheus.url,
  })

  return async () => {
    app.kill('SIGTERM')
    await oidc.stop()
    await prometheus.stop()
    if (embedded) await embedded.stop()
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
