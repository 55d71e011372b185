/**
 * Integration tests run against a real PostgreSQL: the server in DATABASE_URL when set, otherwise an embedded one in
 * a temporary folder. Either way each run gets a fresh, empty database, with the migrations applied by the same code
 * path the app uses at start-up.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/db/embedded-postgres'
import { applyMigrations } from '@/scripts/lib/migrate'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    adminDatabaseUrl: string
  }
}

let embedded: EmbeddedDatabase | undefined
let tempDir: string | undefined

export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-it-'))
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), database: 'postgres' })
    serverUrl = embedded.url
  }
  const name = `firebreak_test_${Date.now()}_${process.pid}`
  const admin = new URL(serverUrl)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query(`CREATE DATABASE "${name}"`)
  await client.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  await applyMigrations(url.toString(), { quiet: true })
  project.provide('databaseUrl', url.toString())
  project.provide('adminDatabaseUrl', admin.toString())

  return async () => {
    if (embedded) await embedded.stop()
    else {
      const cleanup = new pg.Client({ connectionString: admin.toString() })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await cleanup.end()
    }
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
