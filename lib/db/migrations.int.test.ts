import pg from 'pg'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { applyMigrations } from '@/scripts/lib/migrate'

describe('migrations', () => {
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') })
  const name = `firebreak_empty_${Date.now()}`
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  })

  it('apply to an empty database, and a second run changes nothing', async () => {
    await admin.connect()
    await admin.query(`CREATE DATABASE "${name}"`)
    const url = new URL(inject('adminDatabaseUrl'))
    url.pathname = `/${name}`
    await applyMigrations(url.toString(), { quiet: true })
    const db = new pg.Client({ connectionString: url.toString() })
    await db.connect()
    try {
      const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['_prisma_migrations', 'audit_events', 'sign_in_failures', 'users']))
      const applied = await db.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`)
      const again = await applyMigrations(url.toString(), { quiet: true })
      expect(again).toMatch(/No pending migrations/)
      const appliedAfter = await db.query(`SELECT count(*)::int AS n FROM _prisma_migrations`)
      expect(appliedAfter.rows[0].n).toBe(applied.rows[0].n)
    } finally {
      await db.end()
    }
  })
})
