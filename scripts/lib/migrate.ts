import { spawn } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
const PRISMA_CLI = path.join(ROOT, 'node_modules/prisma/build/index.js')

function runPrisma(args: string[], databaseUrl: string, quiet: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) {
        if (!quiet) process.stdout.write(output.split('\n').filter((l) => /migration|Applying|applied/i.test(l)).map((l) => `  ${l.trim()}\n`).join(''))
        resolve(output)
      } else {
        reject(new Error(`prisma ${args.join(' ')} failed (exit ${code}):\n${output}`))
      }
    })
  })
}

/** Applies prisma/migrations to the database; a no-op when it is up to date. */
export function applyMigrations(databaseUrl: string, options: { quiet?: boolean } = {}): Promise<string> {
  return runPrisma(['migrate', 'deploy'], databaseUrl, options.quiet ?? false)
}

/** Writes lib/generated/prisma. The CLI only reads the schema, but it insists on DATABASE_URL being set. */
export function generateClient(): Promise<string> {
  return runPrisma(['generate'], process.env.DATABASE_URL ?? 'postgresql://firebreak@127.0.0.1/firebreak', true)
}
