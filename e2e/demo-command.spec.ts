/**
 * The README's first command, as a new user runs it: `npm run demo` with no DATABASE_URL starts the embedded
 * PostgreSQL, prints the URL and the demo sign-ins; Ctrl-C stops the app and PostgreSQL with it; a second run keeps
 * the data.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { ROOT } from './support/app-server'
import { E2E } from './support/ports'

function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${dataDir}`], { encoding: 'utf8' }).split('\n').filter(Boolean)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

/** Runs `npm run demo` until it prints its URL, hands the output to `use`, then presses Ctrl-C and waits for exit. */
async function withDemo(stateDir: string, use: (url: string, output: () => string) => Promise<void>, extraEnv: Record<string, string> = {}): Promise<string> {
  const inherited = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'npm_config_cache'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))
  // a new user's shell: none of the e2e run's DATABASE_URL, NEXTAUTH_* or OIDC_* settings
  const env = { ...Object.fromEntries(inherited), PORT: String(E2E.demoPort), FIREBREAK_DATA_DIR: stateDir, ...extraEnv } as unknown as NodeJS.ProcessEnv
  const demo = spawn('npm', ['run', 'demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  demo.stdout.on('data', (chunk) => (output += chunk))
  demo.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise((resolve) => demo.once('exit', resolve))
  try {
    await expect.poll(() => output, { timeout: 180_000, intervals: [500] }).toMatch(/Firebreak is running at (http:\/\/\S+)/)
    await use(output.match(/Firebreak is running at (http:\/\/\S+)/)![1], () => output)
  } finally {
    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-demo.pid!, 'SIGINT')
    await exited
  }
  return output
}

test('npm run demo starts on the embedded database, a demo user signs in, Ctrl-C leaves no PostgreSQL, and a rerun keeps the data', async ({ page }) => {
  test.setTimeout(300_000)
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-demo-'))
  const dataDir = path.join(stateDir, 'pg')

  const first = await withDemo(stateDir, async (url, output) => {
    const [, email, password] = output().match(/responder\s+(\S+@\S+) \/ (\S+)/)!
    await page.goto(`${url}/signin`)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByTestId('role')).toHaveText('responder')
    await page.screenshot({ path: test.info().outputPath('demo-signed-in.png') })
    expect(postgresProcessesFor(dataDir)).not.toEqual([])

    // one story: the open rag-chat incident, its SLO paging and the fleet view pointing at the same node, as demo data
    await page.goto(`${url}/incidents`)
    await expect(page.getByTestId('incident-list')).toContainText('rag-chat')
    await page.goto(`${url}/slos`)
    await expect(page.getByRole('note')).toContainText('Demo data')
    await expect(page.getByTestId('slo-row-rag-chat-availability')).toContainText('page')
    await page.screenshot({ path: test.info().outputPath('demo-slos.png'), fullPage: true })
    await page.goto(`${url}/fleet`)
    await expect(page.getByTestId('demo-badge')).toBeVisible()
    await expect(page.getByTestId('node-row-gpu-node-2')).toHaveClass(/flagged/)
    await expect(page.getByTestId('node-row-gpu-node-4')).not.toHaveClass(/flagged/)
    await page.screenshot({ path: test.info().outputPath('demo-fleet.png'), fullPage: true })
    // the summarizer's cut-off answer is a pinned case whose trace shows the token-budget finding
    await page.goto(`${url}/cases`)
    await page.getByRole('link', { name: /Summaries cut off at 256 tokens/ }).click()
    await expect(page.getByTestId('trace-findings')).toContainText('max_tokens')
    await page.screenshot({ path: test.info().outputPath('demo-case.png'), fullPage: true })
  })
  expect(first).toMatch(/seeded 4 demo users, \d+ demo incidents and 5 SLOs/)
  expect(first).toContain('telemetry: demo scenarios')
  expect(first).toContain('stopping PostgreSQL')
  await expect.poll(() => postgresProcessesFor(dataDir), { timeout: 15_000 }).toEqual([])

  const second = await withDemo(stateDir, async (url) => {
    // the session cookie from the first run still works: same data, same secret
    await page.goto(url)
    await expect(page.getByTestId('role')).toHaveText('responder')
  })
  expect(second).toContain('demo data already present')
  await expect.poll(() => postgresProcessesFor(dataDir), { timeout: 15_000 }).toEqual([])
  fs.rmSync(stateDir, { recursive: true, force: true })
})

test('with DATABASE_URL set, npm run demo uses that server and starts no embedded PostgreSQL', async ({ page }) => {
  test.setTimeout(180_000)
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-demo-external-'))
  const output = await withDemo(
    stateDir,
    async (url) => {
      await page.goto(`${url}/signin`)
      await page.getByLabel('Email').fill('viewer@firebreak.demo')
      await page.getByLabel('Password').fill('demo-viewer-password')
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect(page.getByTestId('role')).toHaveText('viewer')
      expect(postgresProcessesFor(path.join(stateDir, 'pg'))).toEqual([])
    },
    { DATABASE_URL: process.env.E2E_DATABASE_URL! },
  )
  expect(output).toContain('using the PostgreSQL server in DATABASE_URL (no embedded server started)')
  expect(output).not.toContain('starting the embedded PostgreSQL')
  expect(fs.existsSync(path.join(stateDir, 'pg'))).toBe(false)
  fs.rmSync(stateDir, { recursive: true, force: true })
})
