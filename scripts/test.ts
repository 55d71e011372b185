/**
 * npm test: the whole suite, as CI runs it.
 *   1. the system tools the tests need (Debian's Chromium, Prometheus, Alertmanager): installed with apt-get when
 *      running as root, otherwise a stop with the exact command to run; no test is skipped for a missing tool
 *   2. Prisma client, unit and integration tests (Vitest, real PostgreSQL)
 *   3. the production build, then the browser tests (Playwright, Debian's Chromium)
 * and a closing line "N passed, N failed".
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { generateClient } from './lib/migrate'

const ROOT = path.resolve(import.meta.dirname, '..')
const APT_PACKAGES = ['chromium', 'prometheus', 'prometheus-alertmanager']
const REQUIRED_TOOLS: Record<string, string> = {
  '/usr/bin/chromium': 'chromium',
  '/usr/bin/prometheus': 'prometheus',
  '/usr/bin/promtool': 'prometheus',
  '/usr/bin/prometheus-alertmanager': 'prometheus-alertmanager',
}
const APT_COMMAND = `apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`

function step(title: string) {
  process.stdout.write(`\n=== ${title}\n`)
}

function ensureSystemTools() {
  const missing = Object.entries(REQUIRED_TOOLS).filter(([file]) => !fs.existsSync(file))
  if (missing.length === 0) return
  const packages = [...new Set(missing.map(([, pkg]) => pkg))]
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) {
    process.stderr.write(`The tests need ${missing.map(([file]) => file).join(', ')} (Debian packages: ${packages.join(', ')}).\nRun, then npm test again:\n\n  sudo sh -c '${APT_COMMAND}'\n\n`)
    process.exit(1)
  }
  step(`installing ${packages.join(', ')} with apt-get`)
  const result = spawnSync('sh', ['-c', APT_COMMAND], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  if (result.status !== 0) {
    process.stderr.write(`apt-get failed; run by hand: ${APT_COMMAND}\n`)
    process.exit(1)
  }
}

function run(title: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  step(title)
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } })
  return result.status === 0
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))
  } catch {
    return undefined
  }
}

ensureSystemTools()
step('generating the Prisma client')
await generateClient()

const results = path.join(ROOT, 'test-results')
fs.mkdirSync(results, { recursive: true })
for (const file of ['vitest-report.json', 'e2e-report.json']) fs.rmSync(path.join(results, file), { force: true })

const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name)
const vitestOk = run('unit and integration tests (Vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest-report.json'])
const buildOk = run('production build', process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://build@127.0.0.1/firebreak',
})
const e2eOk = buildOk && run('browser tests (Playwright, Debian Chromium)', bin('playwright'), ['test'])

const vitest = readJson('test-results/vitest-report.json') as { numPassedTests?: number; numFailedTests?: number } | undefined
const e2e = readJson('test-results/e2e-report.json') as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | undefined
const passed = (vitest?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0)
const failed = (buildOk ? 0 : 1) + (vitest?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0) + (e2e?.stats?.flaky ?? 0)
const ok = vitestOk && buildOk && e2eOk && failed === 0 && passed > 0
if (!buildOk) process.stdout.write('\nThe production build failed, so the browser tests did not run.\n')
process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
process.exit(ok ? 0 : 1)
