/**
 * npm run bench: figures, not pass/fail. Runs against a production build on a fresh embedded PostgreSQL.
 *   1. storm intake: one webhook of 20,000 alerts, then 100 webhooks of 200 alerts from 10 concurrent senders
 *   2. alert-to-visible: Alertmanager-style POST until the incident shows in an open incident list (Chromium)
 *   3. the incident room with 2,000 alerts and 500 timeline entries: LCP and INP in Chromium
 * Targets (2-core machine): 20k webhook acknowledged < 2 s, intake >= 2,000 alerts/s, alert-to-visible p95 < 5 s,
 * room LCP < 1 s and INP < 100 ms.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { hashToken } from '@/lib/tokens/hash'
import { createPrismaClient } from '@/lib/db/client'
import { findFreePort, startEmbeddedPostgres } from '@/lib/db/embedded-postgres'
import { seedDemo } from '@/prisma/seed'
import { alertGroup } from '@/tests/alert-payloads'
import { applyMigrations } from './lib/migrate'

const ROOT = path.resolve(import.meta.dirname, '..')
const TOKEN = 'fbk_alertmanager_benchmark-token-not-secret'

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
const ms = (n: number) => `${n.toFixed(0)} ms`
function report(name: string, value: string, target?: string) {
  process.stdout.write(`  ${name.padEnd(50)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`)
}

async function post(url: string, body: string): Promise<{ status: number; ms: number; json: { incidentNumber?: number } }> {
  const started = performance.now()
  const response = await fetch(`${url}/api/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body })
  const json = await response.json()
  return { status: response.status, ms: performance.now() - started, json }
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    process.stdout.write('building the app first…\n')
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-'))
  const database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), database: 'firebreak' })
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  let app: ReturnType<typeof spawn> | undefined
  try {
    await applyMigrations(database.url, { quiet: true })
    const db = createPrismaClient(database.url)
    await seedDemo(db)
    await db.ingestToken.create({ data: { name: 'bench', kind: 'alertmanager', tokenHash: hashToken(TOKEN), prefix: TOKEN.slice(0, 16) } })
    app = spawn(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, NEXTAUTH_URL: url, NEXTAUTH_SECRET: 'benchmark-secret-that-is-32-characters', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    })
    for (let i = 0; i < 240 && !(await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 250))
    // warm the route (first request compiles nothing in production, but opens the pool)
    await post(url, JSON.stringify(alertGroup({ groupKey: 'warm-up', count: 1 })))

    process.stdout.write('\nStorm intake (HTTP, production build, embedded PostgreSQL)\n')
    const big = JSON.stringify(alertGroup({ groupKey: 'storm-20k', count: 20_000 }))
    const single = await post(url, big)
    report('20,000-alert webhook acknowledged in', ms(single.ms), '< 2,000 ms')
    report('  its body', `${(Buffer.byteLength(big) / 1_048_576).toFixed(1)} MB`)
    const bodies = Array.from({ length: 100 }, (_, i) => JSON.stringify(alertGroup({ groupKey: `storm-200-${i}`, count: 200 })))
    const latencies: number[] = []
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]
          const result = await post(url, body)
          if (result.status !== 200) throw new Error(`intake answered ${result.status}`)
          latencies.push(result.ms)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    report('100 x 200 alerts, 10 senders: sustained intake', `${Math.round(20_000 / seconds)} alerts/s`, '>= 2,000 alerts/s')
    report('  acknowledgement p50', ms(percentile(latencies, 50)))
    report('  acknowledgement p95', ms(percentile(latencies, 95)))
    const stored = await db.alert.count({ where: { incident: { groupKey: { startsWith: 'storm-' } } } })
    report('rows lost or duplicated', String(Math.abs(stored - 40_000)), '0')

    process.stdout.write('\nAlert-to-visible (POST until the row shows in an open incident list, Chromium)\n')
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${url}/signin`)
    await page.getByLabel('Email').fill('responder@firebreak.demo')
    await page.getByLabel('Password').fill('demo-responder-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(`${url}/`)
    await page.goto(`${url}/incidents`)
    const visible: number[] = []
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now()
      const { json } = await post(url, JSON.stringify(alertGroup({ groupKey: `visible-${i}`, count: 5 })))
      await page.getByTestId(`incident-row-${json.incidentNumber}`).waitFor({ timeout: 15_000 })
      visible.push(performance.now() - t0)
    }
    report('alert-to-visible p50', ms(percentile(visible, 50)))
    report('alert-to-visible p95', ms(percentile(visible, 95)), '< 5,000 ms')

    process.stdout.write('\nIncident room with 2,000 alerts and 500 timeline entries (Chromium)\n')
    const { json: room } = await post(url, JSON.stringify(alertGroup({ groupKey: 'big-room', count: 2_000 })))
    const incident = await db.incident.findUniqueOrThrow({ where: { number: room.incidentNumber } })
    await db.timelineEntry.createMany({ data: Array.from({ length: 500 }, (_, i) => ({ incidentId: incident.id, kind: 'note', body: `Observation ${i}: vllm:num_requests_waiting at ${i % 40}`, actorName: 'Bench' })) })
    const lcps: number[] = []
    const inps: number[] = []
    for (let i = 0; i < 5; i++) {
      const tab = await context.newPage()
      await tab.addInitScript(() => {
        const w = window as unknown as { __lcp: number; __inp: number }
        w.__lcp = 0
        w.__inp = 0
        new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__lcp = e.startTime }).observe({ type: 'largest-contentful-paint', buffered: true })
        new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__inp = Math.max(w.__inp, e.duration) }).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit)
      })
      await tab.goto(`${url}/incidents/${room.incidentNumber}`, { waitUntil: 'networkidle' })
      await tab.getByRole('button', { name: /VLLMTimeToFirstTokenHigh/ }).waitFor()
      lcps.push(await tab.evaluate(() => (window as unknown as { __lcp: number }).__lcp))
      // the only alert group is open already: page through it, then type a note
      await tab.getByRole('button', { name: 'Next' }).click()
      await tab.getByText('page 2 of 80').waitFor()
      await tab.getByLabel(/Add a note/).click()
      await tab.keyboard.type('typing a note')
      await tab.waitForTimeout(300)
      inps.push(await tab.evaluate(() => (window as unknown as { __inp: number }).__inp))
      await tab.close()
    }
    report('Largest Contentful Paint, median of 5', ms(percentile(lcps, 50)), '< 1,000 ms')
    report('Interaction to Next Paint (worst event), median', ms(percentile(inps, 50)), '< 100 ms')
    await browser.close()
    await db.$disconnect()
  } finally {
    app?.kill('SIGTERM')
    await database.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : error}\n`)
  process.exit(1)
})
