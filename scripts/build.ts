/** npm run build: generate the Prisma client, then the Next production build. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { generateClient } from './lib/migrate'

const ROOT = path.resolve(import.meta.dirname, '..')
await generateClient()
const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://build@127.0.0.1/firebreak' },
})
process.exit(result.status ?? 1)
