/**
 * The one place that reads environment variables. Everything else asks getEnv().
 * parseEnv is pure so the configuration checks are unit-tested; a mistake fails start-up with a message that names
 * the variable and says what to set.
 */
import { z } from 'zod'

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()

const postgresUrl = z
  .string({ error: 'is not set: set it to postgresql://USER:PASSWORD@HOST:PORT/DATABASE' })
  .trim()
  .refine(
    (v) => {
      try {
        const url = new URL(v)
        return (url.protocol === 'postgresql:' || url.protocol === 'postgres:') && url.hostname !== '' && url.pathname.length > 1
      } catch {
        return false
      }
    },
    { message: 'is not a PostgreSQL URL: use postgresql://USER:PASSWORD@HOST:PORT/DATABASE' },
  )

const httpUrl = z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' })

const rawSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: postgresUrl,
  NEXTAUTH_URL: optionalText.pipe(httpUrl.optional()),
  NEXTAUTH_SECRET: optionalText,
  OIDC_ISSUER: optionalText.pipe(httpUrl.optional()),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_DISPLAY_NAME: optionalText,
  OIDC_DEFAULT_ROLE: z.enum(['viewer', 'responder', 'editor', 'admin']).default('viewer'),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
})

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string
  displayName: string
  defaultRole: 'viewer' | 'responder' | 'editor' | 'admin'
}

export interface AppEnv {
  nodeEnv: 'development' | 'production' | 'test'
  databaseUrl: string
  nextAuthUrl?: string
  nextAuthSecret: string
  oidc?: OidcConfig
  signIn: { maxFailures: number; windowMinutes: number }
  logLevel: 'debug' | 'info' | 'warn' | 'error'
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Firebreak cannot start: its configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const DEVELOPMENT_SECRET = 'firebreak-development-secret-not-for-production'
const OIDC_VARIABLES = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const

export function parseEnv(raw: Record<string, string | undefined>): AppEnv {
  const parsed = rawSchema.safeParse(raw)
  const problems: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment')
      problems.push(`${name} ${issue.message}`)
    }
    throw new ConfigError(problems)
  }
  const env = parsed.data
  if (env.NODE_ENV === 'production') {
    if (!env.NEXTAUTH_SECRET) {
      problems.push('NEXTAUTH_SECRET is not set: in production set it to a random string of 32+ characters (openssl rand -base64 32)')
    } else if (env.NEXTAUTH_SECRET.length < 32) {
      problems.push('NEXTAUTH_SECRET is too short: use at least 32 characters (openssl rand -base64 32)')
    }
  }
  const oidcSet = OIDC_VARIABLES.filter((name) => env[name] !== undefined)
  if (oidcSet.length > 0 && oidcSet.length < OIDC_VARIABLES.length) {
    const missing = OIDC_VARIABLES.filter((name) => env[name] === undefined)
    problems.push(
      `OIDC sign-in is half configured: ${oidcSet.join(', ')} ${oidcSet.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not. Set all of ${OIDC_VARIABLES.join(', ')}, or none`,
    )
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return {
    nodeEnv: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    nextAuthUrl: env.NEXTAUTH_URL,
    nextAuthSecret: env.NEXTAUTH_SECRET ?? DEVELOPMENT_SECRET,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER.replace(/\/$/, ''),
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            displayName: env.OIDC_DISPLAY_NAME ?? 'single sign-on',
            defaultRole: env.OIDC_DEFAULT_ROLE,
          }
        : undefined,
    signIn: { maxFailures: env.SIGNIN_MAX_FAILURES, windowMinutes: env.SIGNIN_WINDOW_MINUTES },
    logLevel: env.LOG_LEVEL,
  }
}

let cached: AppEnv | undefined

export function getEnv(): AppEnv {
  cached ??= parseEnv(process.env)
  return cached
}
