/**
 * npm run bench: figures, not pass/fail. Runs against a production build on a fresh embedded PostgreSQL, with real
 * Prometheus servers (Debian's /usr/bin/prometheus and promtool) for the telemetry ones.
 *
 *   npm run bench                      everything (about 4 minutes on a 2-core machine)
 *   npm run bench -- alerts            intake, visible, room
 *   npm run bench -- telemetry         amplification, overhead, slo
 *   npm run bench -- traces            waterfall, otlp
 *   npm run bench -- wizard            classify
 *   npm run bench -- overhead slo      any of the names below
 *
 * alerts (scripts/bench/alerts.ts)
 *   intake         one webhook of 20,000 alerts, then 100 webhooks of 200 alerts from 10 concurrent senders
 *   visible        Alertmanager-style POST until the incident shows in an open incident list (Chromium)
 *   room           the incident room with 2,000 alerts and 500 timeline entries: LCP and INP in Chromium
 * telemetry (scripts/bench/panels.ts, scripts/bench/slo.ts)
 *   amplification  50 viewers poll one incident's 4 live panels every 15 s for 60 s: queries reaching Prometheus
 *   overhead       panel API latency against the same PromQL sent to Prometheus directly, cold and cached
 *   slo            a 30-day SLO error ratio from promtool-backfilled recorded series against the raw 30-day query
 *   review         the weekly review's data (a week and the week before, charts, incident costs): recorded vs raw
 * traces (scripts/bench/waterfall.ts)
 *   waterfall      1,000 / 10,000 / 100,000-span traces sent to the OTLP receiver, opened in Chromium: rows painted,
 *                  expand and collapse of a subtree, expand all, JS heap
 *   otlp           4 OpenTelemetry SDK exporters (protobuf) send 160,000 pipeline spans to /v1/traces: spans stored
 *                  per second, export latency, spans lost or duplicated (scripts/bench/otlp.ts; it also runs alone,
 *                  without a build: npx tsx scripts/bench/otlp.ts)
 *
 * wizard (scripts/bench/classify.ts)
 *   classify       every incident scenario through a real Prometheus, the OTLP receiver and the webhook intake: the
 *                  proposal and confidence at each step, and the time to gather and evaluate its evidence (it also
 *                  runs alone: npx tsx scripts/bench/classify.ts)
 *
 * Targets (2-core machine): 20k webhook acknowledged < 2 s, intake >= 2,000 alerts/s, alert-to-visible p95 < 5 s,
 * room LCP < 1 s and INP < 100 ms; at most 1 upstream query per panel query per refresh, cold panel at most 1.2x
 * direct, cached panel at least 10x faster than direct; a 100,000-span trace's waterfall painted < 1 s, expand and
 * collapse < 100 ms; OTLP intake >= 10,000 spans/s with 0 spans lost or duplicated; the wizard right at every step of
 * every scenario, each step's evidence ready < 2 s.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { intake, room, SignedInBrowser, visible, warmUp } from './bench/alerts'
import { ROOT, signIn, startApp, startDatabase, type BenchApp, type BenchDatabase } from './bench/app'
import { classify } from './bench/classify'
import { otlp } from './bench/otlp'
import { amplification, overhead, startPanelPrometheus } from './bench/panels'
import type { BenchPrometheus } from './bench/prometheus'
import { review } from './bench/review'
import { slo } from './bench/slo'
import { waterfall } from './bench/waterfall'

const GROUPS = {
  alerts: ['intake', 'visible', 'room'],
  telemetry: ['amplification', 'overhead', 'slo', 'review'],
  traces: ['waterfall', 'otlp'],
  wizard: ['classify'],
} as const
type Name = (typeof GROUPS)[keyof typeof GROUPS][number]
const NAMES: Name[] = [...GROUPS.alerts, ...GROUPS.telemetry, ...GROUPS.traces, ...GROUPS.wizard]

function selection(args: string[]): Set<Name> {
  if (args.length === 0 || args.includes('all')) return new Set(NAMES)
  const chosen = new Set<Name>()
  for (const arg of args) {
    if (arg in GROUPS) GROUPS[arg as keyof typeof GROUPS].forEach((n) => chosen.add(n))
    else if ((NAMES as string[]).includes(arg)) chosen.add(arg as Name)
    else {
      process.stderr.write(`unknown benchmark "${arg}": choose from all, ${Object.keys(GROUPS).join(', ')}, ${NAMES.join(', ')}\n`)
      process.exit(2)
    }
  }
  return chosen
}

/** Everything started is stopped again, in reverse order, also on Ctrl-C. */
const cleanups: (() => Promise<unknown> | unknown)[] = []
async function cleanUp() {
  while (cleanups.length) {
    try {
      await cleanups.pop()!()
    } catch (error) {
      process.stderr.write(`clean-up: ${(error as Error).message}\n`)
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130))
  })
}

async function main() {
  const chosen = selection(process.argv.slice(2))
  const has = (...names: Name[]) => names.some((n) => chosen.has(n))
  if (has('intake', 'visible', 'room', 'amplification', 'overhead', 'waterfall', 'otlp') && !fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    process.stdout.write('building the app first…\n')
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-'))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  const started = performance.now()

  let database: BenchDatabase | undefined
  if (has('intake', 'visible', 'room', 'amplification', 'overhead', 'waterfall', 'otlp', 'classify')) {
    database = await startDatabase(dir)
    cleanups.push(() => database!.stop())
  }

  if (has('intake', 'visible', 'room')) {
    const app: BenchApp = await startApp(database!.url)
    cleanups.push(() => app.stop())
    await warmUp(app.url)
    const context = { url: app.url, db: database!.db }
    const browser = new SignedInBrowser(app.url)
    cleanups.push(() => browser.close())
    if (chosen.has('intake')) await intake(context)
    if (chosen.has('visible')) await visible(context, browser)
    if (chosen.has('room')) await room(context, browser)
    await cleanups.pop()!() // the browser
    await cleanups.pop()!() // this app: the telemetry benchmarks start their own, pointed at Prometheus
  }

  if (has('amplification', 'overhead')) {
    const promDir = path.join(dir, 'prometheus-panels')
    fs.mkdirSync(promDir)
    const prometheus: BenchPrometheus = await startPanelPrometheus(promDir)
    cleanups.push(() => prometheus.stop())
    const app = await startApp(database!.url, { PROMETHEUS_URL: prometheus.url })
    cleanups.push(() => app.stop())
    const context = { appUrl: app.url, cookie: await signIn(app.url), prometheus }
    if (chosen.has('amplification')) await amplification(context)
    if (chosen.has('overhead')) await overhead(context)
    await cleanups.pop()!() // the app
    await cleanups.pop()!() // its Prometheus
  }

  if (chosen.has('waterfall')) {
    const app = await startApp(database!.url)
    cleanups.push(() => app.stop())
    await waterfall({ url: app.url, db: database!.db })
    await cleanups.pop()!() // the app
  }

  if (chosen.has('classify')) await classify(database!)
  if (chosen.has('otlp')) {
    const app = await startApp(database!.url)
    cleanups.push(() => app.stop())
    await otlp({ url: app.url, db: database!.db, receiver: 'the app (next start)' })
    await cleanups.pop()!() // the app
  }

  if (chosen.has('review')) {
    const reviewDir = path.join(dir, 'prometheus-review')
    fs.mkdirSync(reviewDir)
    await review(reviewDir)
  }
  if (chosen.has('slo')) {
    const sloDir = path.join(dir, 'prometheus-slo')
    fs.mkdirSync(sloDir)
    await slo(sloDir)
  }
  process.stdout.write(`\n${[...chosen].join(', ')}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
}

main()
  .catch((error) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : error}\n`)
    process.exitCode = 1
  })
  .finally(cleanUp)
