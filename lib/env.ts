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

/**
 * Trace backends (issue 5): Jaeger's and Tempo's query APIs, each optional. The built-in OTLP receiver is always a
 * source. JAEGER_API_VERSION v3 reads Jaeger v2's api/v3 (OTLP/JSON); TEMPO_TENANT is sent as X-Scope-OrgID.
 */
const traceBackendFields = {
  JAEGER_URL: optionalText.pipe(httpUrl.optional()),
  JAEGER_API_VERSION: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.enum(['v1', 'v3']).default('v1')),
  JAEGER_BEARER_TOKEN: optionalText,
  JAEGER_USERNAME: optionalText,
  JAEGER_PASSWORD: optionalText,
  TEMPO_URL: optionalText.pipe(httpUrl.optional()),
  TEMPO_BEARER_TOKEN: optionalText,
  TEMPO_USERNAME: optionalText,
  TEMPO_PASSWORD: optionalText,
  TEMPO_TENANT: optionalText,
  TRACES_TIMEOUT_MS: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(100).max(300_000).default(10_000)),
}
const traceBackendSchema = z.object(traceBackendFields)

export interface TraceBackendAuth {
  bearerToken?: string
  basicAuth?: { username: string; password: string }
}

export interface TraceBackendEnv {
  jaeger?: TraceBackendAuth & { url: string; apiVersion: 'v1' | 'v3' }
  tempo?: TraceBackendAuth & { url: string; tenant?: string }
  timeoutMs: number
}

function traceBackendsOf(env: z.infer<typeof traceBackendSchema>, problems: string[]): TraceBackendEnv {
  const auth = (prefix: 'JAEGER' | 'TEMPO'): TraceBackendAuth => {
    const token = env[`${prefix}_BEARER_TOKEN`]
    const username = env[`${prefix}_USERNAME`]
    const password = env[`${prefix}_PASSWORD`]
    if (token && username) problems.push(`${prefix}_BEARER_TOKEN and ${prefix}_USERNAME are both set: use a bearer token or basic auth, not both`)
    if (password && !username) problems.push(`${prefix}_PASSWORD is set without ${prefix}_USERNAME: set both for basic auth`)
    if (token) return { bearerToken: token }
    return username ? { basicAuth: { username, password: password ?? '' } } : {}
  }
  const jaegerAuth = auth('JAEGER')
  const tempoAuth = auth('TEMPO')
  return {
    jaeger: env.JAEGER_URL ? { url: env.JAEGER_URL.replace(/\/+$/, ''), apiVersion: env.JAEGER_API_VERSION, ...jaegerAuth } : undefined,
    tempo: env.TEMPO_URL ? { url: env.TEMPO_URL.replace(/\/+$/, ''), tenant: env.TEMPO_TENANT, ...tempoAuth } : undefined,
    timeoutMs: env.TRACES_TIMEOUT_MS,
  }
}

/** The trace backends alone (no DATABASE_URL needed), for the trace sources and their tests. */
export function parseTraceBackendEnv(raw: Record<string, string | undefined>): TraceBackendEnv {
  const parsed = traceBackendSchema.safeParse(raw)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`))
  const problems: string[] = []
  const backends = traceBackendsOf(parsed.data, problems)
  if (problems.length > 0) throw new ConfigError(problems)
  return backends
}

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
  ...traceBackendFields,
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
  traceBackends: TraceBackendEnv
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
  const traceBackends = traceBackendsOf(env, problems)
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
    traceBackends,
  }
}

let cached: AppEnv | undefined

export function getEnv(): AppEnv {
  cached ??= parseEnv(process.env)
  return cached
}
