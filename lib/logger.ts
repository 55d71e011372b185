/** The one logger: JSON lines on stderr, with anything that looks like a secret redacted. */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const
type Level = keyof typeof LEVELS

const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|hash/i
const SECRET_VALUES = [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, /(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/g]

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return SECRET_VALUES.reduce((s, re) => s.replace(re, '$1[redacted]'), value)
  if (value instanceof Error) return { name: value.name, message: redact(value.message), stack: value.stack ? redact(value.stack) : undefined }
  if (depth > 5 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  )
}

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined
  return LEVELS[configured && configured in LEVELS ? configured : 'info']
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (LEVELS[level] < threshold()) return
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...(fields ? (redact(fields) as object) : {}) })
  process.stderr.write(line + '\n')
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
}
