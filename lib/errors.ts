/**
 * One error type for the whole app and one JSON shape for every API error:
 *   { "error": { "code": "forbidden", "message": "...", "issues"?: [...] } }
 * Clients branch on `code`, never on message text. 5xx messages are masked; no stack trace leaves the server.
 */
import { z } from 'zod'

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const
export type ErrorCode = keyof typeof ERROR_STATUS

export interface ErrorIssue {
  path: string
  message: string
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    readonly options: { issues?: ErrorIssue[]; cause?: unknown; retryAfterSeconds?: number; details?: unknown } = {},
  ) {
    super(userMessage, { cause: options.cause })
    this.name = 'AppError'
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
}

export interface ErrorBody {
  /** details: what a client needs to recover, e.g. the other editor's revision in a save conflict */
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[]; details?: unknown }
}

export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }))
}

const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'ECONNREFUSED', 'ECONNRESET', '57P01', '57P03'])

/** Whether an error means "the database cannot be reached right now" (retry later), as opposed to a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const { name, code, message, cause } = error as { name?: string; code?: string; message?: string; cause?: unknown }
  if (name === 'PrismaClientInitializationError') return true
  if (code && UNREACHABLE_CODES.has(code)) return true
  if (typeof message === 'string' && /Can't reach database server|ECONNREFUSED|Connection terminated|the database system is (starting up|shutting down)/i.test(message)) return true
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause)
}

/** Turns anything thrown into the status and body a client may see. Unknown errors become a masked 500. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const headers: Record<string, string> = {}
  if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
    return toErrorBody(new AppError('unavailable', 'The database is unavailable right now; nothing was changed. Try again in a moment.', { retryAfterSeconds: 5 }))
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      headers,
      body: { error: { code: 'validation_failed', message: 'The request is not valid: see issues.', issues: issuesFromZod(error) } },
    }
  }
  if (error instanceof AppError) {
    if (error.options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.options.retryAfterSeconds)
    const message = error.status >= 500 && error.code !== 'unavailable' ? 'Something went wrong on the server. It has been logged.' : error.userMessage
    return {
      status: error.status,
      headers,
      body: {
        error: {
          code: error.code,
          message,
          ...(error.options.issues ? { issues: error.options.issues } : {}),
          ...(error.code !== 'internal' && error.options.details !== undefined ? { details: error.options.details } : {}),
        },
      },
    }
  }
  return { status: 500, headers, body: { error: { code: 'internal', message: 'Something went wrong on the server. It has been logged.' } } }
}
