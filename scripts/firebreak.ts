/**
 * Firebreak's start-up path.
 *   npm run demo   embedded PostgreSQL (unless DATABASE_URL is set), migrations, demo users and content, build if
 *                  stale, start, print the URL and the demo sign-ins. Ctrl-C stops the app and PostgreSQL.
 *   npm start      production: DATABASE_URL required, migrations, optional first admin, start.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { hashPassword } from '@/lib/auth/passwords'
import { createPrismaClient } from '@/lib/db/client'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded-postgres'
import { ConfigError, parseEnv } from '@/lib/env'
import { DEMO_ACCOUNTS, demoEpoch, seedDemo } from '@/prisma/seed'
import { tellDemoFollowUp } from './demo-follow-up'
import { formatProvisionErrors, provisionRunbooks } from '@/lib/runbooks/provision'
import { applyMigrations, generateClient } from './lib/migrate'

const ROOT = path.resolve(import.meta.dirname, '..')
const mode = process.argv[2] === 'demo' ? 'demo' : 'start'
const stateDir = path.resolve(ROOT, process.env.FIREBREAK_DATA_DIR ?? '.firebreak')

let database: EmbeddedDatabase | undefined
let app: ChildProcess | undefined
let stopping = false

function say(line: string) {
  process.stdout.write(`[firebreak] ${line}\n`)
}

async function shutdown(code: number) {
  if (stopping) return
  stopping = true
  if (app && app.exitCode === null) {
    say('stopping the app…')
    app.kill('SIGTERM')
    await new Promise((resolve) => {
      const timer = setTimeout(() => { app?.kill('SIGKILL'); resolve(undefined) }, 5_000)
      app!.once('exit', () => { clearTimeout(timer); resolve(undefined) })
    })
  }
  if (database) {
    say('stopping PostgreSQL…')
    await database.stop().catch((error) => say(`PostgreSQL did not stop cleanly: ${error.message}`))
  }
  process.exit(code)
}

process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

/** A stable secret per data folder, so demo sessions survive a restart. */
function demoSecret(): string {
  const file = path.join(stateDir, 'nextauth-secret')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(stateDir, { recursive: true })
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 })
  }
  return fs.readFileSync(file, 'utf8').trim()
}

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'generated' || entry === 'node_modules') continue
    newest = Math.max(newest, newestMtime(path.join(target, entry)))
  }
  return newest
}

function isBuildStale(): boolean {
  const buildId = path.join(ROOT, '.next/BUILD_ID')
  if (!fs.existsSync(buildId)) return true
  const sources = ['app', 'components', 'lib', 'runbooks', 'proxy.ts', 'next.config.ts', 'package-lock.json', 'prisma/schema.prisma']
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))))
  return newest > fs.statSync(buildId).mtimeMs
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(' ')} exited with ${code}`))))
  })
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (app?.exitCode !== null) throw new Error('the app exited during start-up; see its output above')
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`the app did not answer ${url}/api/health within ${timeoutMs / 1000} s`)
}

async function bootstrapAdmin(databaseUrl: string) {
  const email = process.env.FIREBREAK_BOOTSTRAP_ADMIN_EMAIL?.trim().toLowerCase()
  const password = process.env.FIREBREAK_BOOTSTRAP_ADMIN_PASSWORD
  const db = createPrismaClient(databaseUrl)
  try {
    if ((await db.user.count()) > 0) return
    if (!email || !password || password.length < 12) {
      say('no users yet: set FIREBREAK_BOOTSTRAP_ADMIN_EMAIL and FIREBREAK_BOOTSTRAP_ADMIN_PASSWORD (12+ characters) to create the first admin, or configure OIDC')
      return
    }
    const user = await db.user.create({ data: { email, name: email, role: 'admin', passwordHash: await hashPassword(password) } })
    await db.auditEvent.create({ data: { action: 'user.create', targetType: 'user', targetId: user.id, after: { email, role: 'admin', origin: 'bootstrap' } } })
    say(`created the first admin, ${email}`)
  } finally {
    await db.$disconnect()
  }
}

async function main() {
  const port = Number(process.env.PORT ?? 3000)
  const host = process.env.HOST ?? (mode === 'demo' ? '127.0.0.1' : '0.0.0.0')
  const publicHost = host === '0.0.0.0' ? 'localhost' : host
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }
  env.NEXTAUTH_URL ??= `http://${publicHost}:${port}`
  if (mode === 'demo') env.NEXTAUTH_SECRET ??= demoSecret()
  // without a Prometheus the demo shows its scenarios through the demo MetricsSource, labelled as demo data
  if (mode === 'demo' && !env.PROMETHEUS_URL) env.FIREBREAK_DEMO_TELEMETRY ??= '1'

  if (!env.DATABASE_URL) {
    if (mode !== 'demo') {
      throw new ConfigError(['DATABASE_URL is not set: set it to postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or use `npm run demo` for the embedded database)'])
    }
    say(`starting the embedded PostgreSQL (data in ${path.relative(ROOT, stateDir) || '.'}/pg)…`)
    database = await startEmbeddedPostgres({ dataDir: path.join(stateDir, 'pg'), database: 'firebreak' })
    env.DATABASE_URL = database.url
    say(`PostgreSQL is up on 127.0.0.1:${database.port}`)
  } else {
    say('using the PostgreSQL server in DATABASE_URL (no embedded server started)')
  }
  const config = parseEnv(env)

  say('applying database migrations…')
  await applyMigrations(config.databaseUrl)

  {
    const db = createPrismaClient(config.databaseUrl)
    try {
      const report = await provisionRunbooks(db, path.join(ROOT, 'runbooks'))
      say(`runbooks: ${report.created.length} new, ${report.upgraded.length} upgraded (waiting for review), ${report.unchanged.length} unchanged`)
      for (const line of formatProvisionErrors(report)) say(line)
    } finally {
      await db.$disconnect()
    }
  }

  if (mode === 'demo') {
    const db = createPrismaClient(config.databaseUrl)
    try {
      const report = await seedDemo(db)
      say(
        report.usersCreated + report.incidentsCreated + report.slosCreated > 0
          ? `seeded ${report.usersCreated} demo users, ${report.incidentsCreated} demo incidents and ${report.slosCreated} SLOs`
          : 'demo data already present',
      )
      say(env.FIREBREAK_DEMO_TELEMETRY === '1' ? 'telemetry: demo scenarios (set PROMETHEUS_URL to use a real Prometheus)' : `telemetry: ${env.PROMETHEUS_URL}`)
    } finally {
      await db.$disconnect()
    }
  } else {
    await bootstrapAdmin(config.databaseUrl)
  }

  const nextBin = path.join(ROOT, 'node_modules/next/dist/bin/next')
  if (mode === 'demo' && isBuildStale()) {
    say('building the app (first run or changed sources; about a minute)…')
    await generateClient()
    await run(process.execPath, [nextBin, 'build'], env)
  } else if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    throw new Error('there is no production build: run `npm run build` first')
  }

  say('starting the app…')
  app = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', host], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] })
  app.on('exit', (code) => {
    if (!stopping) {
      say(`the app exited (${code}); stopping`)
      void shutdown(code ?? 1)
    }
  })
  const url = `http://${publicHost}:${port}`
  await waitForHealth(url, 60_000)
  if (mode === 'demo') {
    // the demo's follow-up (a classified incident, a published postmortem, action items) through the app's own API
    const db = createPrismaClient(config.databaseUrl)
    try {
      say(`demo follow-up: ${await tellDemoFollowUp(`http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`, db, await demoEpoch(db))}`)
    } catch (error) {
      say(`demo follow-up skipped: ${error instanceof Error ? error.message : error}`)
    } finally {
      await db.$disconnect()
    }
  }
  say('')
  say(`Firebreak is running at ${url}`)
  if (mode === 'demo') {
    say('demo sign-ins (email / password):')
    for (const account of DEMO_ACCOUNTS) say(`  ${account.role.padEnd(9)} ${account.email} / ${account.password}`)
  }
  say('press Ctrl-C to stop')
}

main().catch(async (error) => {
  process.stderr.write(`\n[firebreak] ${error instanceof ConfigError ? error.message : `start-up failed: ${error instanceof Error ? error.message : error}`}\n`)
  await shutdown(1)
})
