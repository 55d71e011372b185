import { describe, expect, it } from 'vitest'
import { ConfigError, parseEnv } from './env'

const base = { DATABASE_URL: 'postgresql://firebreak:pw@db.internal:5432/firebreak' }

function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    parseEnv(raw)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('configuration checks', () => {
  it('accepts a minimal development configuration and fills defaults', () => {
    const env = parseEnv(base)
    expect(env.databaseUrl).toBe(base.DATABASE_URL)
    expect(env.oidc).toBeUndefined()
    expect(env.signIn).toEqual({ maxFailures: 5, windowMinutes: 15 })
  })

  it('names DATABASE_URL when it is missing', () => {
    const [problem] = problemsOf({})
    expect(problem).toMatch(/^DATABASE_URL /)
    expect(problem).toMatch(/postgresql:\/\//)
  })

  it('rejects a malformed DATABASE_URL with what to set', () => {
    for (const bad of ['localhost:5432/firebreak', 'mysql://u@h/db', 'postgresql://host-without-db']) {
      const problems = problemsOf({ DATABASE_URL: bad })
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(/^DATABASE_URL is not a PostgreSQL URL/)
    }
  })

  it('requires NEXTAUTH_SECRET in production and says how to make one', () => {
    const problems = problemsOf({ ...base, NODE_ENV: 'production' })
    expect(problems).toEqual([expect.stringMatching(/^NEXTAUTH_SECRET is not set.*openssl rand/)])
    expect(problemsOf({ ...base, NODE_ENV: 'production', NEXTAUTH_SECRET: 'short' })[0]).toMatch(/too short/)
    expect(parseEnv({ ...base, NODE_ENV: 'production', NEXTAUTH_SECRET: 'x'.repeat(32) }).nextAuthSecret).toBe('x'.repeat(32))
  })

  it('rejects a half-filled OIDC configuration, naming what is missing', () => {
    const problems = problemsOf({ ...base, OIDC_ISSUER: 'https://sso.example.com/realms/ops', OIDC_CLIENT_ID: 'firebreak' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('OIDC_CLIENT_SECRET is not')
  })

  it('builds the OIDC provider settings when all three are set', () => {
    const env = parseEnv({
      ...base,
      OIDC_ISSUER: 'https://sso.example.com/realms/ops/',
      OIDC_CLIENT_ID: 'firebreak',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_DEFAULT_ROLE: 'responder',
    })
    expect(env.oidc).toEqual({
      issuer: 'https://sso.example.com/realms/ops',
      clientId: 'firebreak',
      clientSecret: 's3cret',
      displayName: 'single sign-on',
      defaultRole: 'responder',
    })
  })

  it('treats empty strings as unset, as shells and .env files produce them', () => {
    expect(parseEnv({ ...base, OIDC_ISSUER: '', OIDC_CLIENT_ID: '', OIDC_CLIENT_SECRET: '' }).oidc).toBeUndefined()
  })

  it('reports every problem at once', () => {
    const problems = problemsOf({ DATABASE_URL: 'nope', OIDC_ISSUER: 'not a url', SIGNIN_MAX_FAILURES: '0' })
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'OIDC_ISSUER', 'SIGNIN_MAX_FAILURES'])
  })
})
