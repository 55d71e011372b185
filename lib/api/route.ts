import 'server-only'
import { NextResponse, type NextRequest } from 'next/server'
import type { z } from 'zod'
import type { RequestContext } from '@/lib/auth/context'
import { getRequestContext } from '@/lib/auth/session'
import { AppError, toErrorBody } from '@/lib/errors'
import { logger } from '@/lib/logger'

type Handler<P> = (request: NextRequest, input: { context: RequestContext; params: P }) => Promise<unknown>

/**
 * Every API route goes through here: a session is required (unless the route is public), errors become the one JSON
 * error shape, and nothing else (no stack, no internal message) leaves the server.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>, options: { isPublic?: boolean } = {}) {
  return async (request: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    try {
      // A public route (health) must answer even when the session cannot be looked up.
      const context = options.isPublic ? await getRequestContext().catch((): RequestContext => ({ actor: null })) : await getRequestContext()
      if (!options.isPublic && !context.actor) throw new AppError('unauthenticated', 'Sign in first: this API needs a session.')
      const result = await handler(request, { context, params: (await route?.params) ?? ({} as P) })
      return result instanceof Response ? result : NextResponse.json(result)
    } catch (error) {
      const { status, body, headers } = toErrorBody(error)
      // an unavailable backend is an expected state, already explained to the client; a bug is not
      if (error instanceof AppError && error.code === 'unavailable') logger.warn('API request refused: backend unavailable', { path: request.nextUrl.pathname, reason: error.userMessage })
      else if (status >= 500) logger.error('API request failed', { method: request.method, path: request.nextUrl.pathname, error })
      return NextResponse.json(body, { status, headers })
    }
  }
}

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.')
  }
  return schema.parse(body)
}

export function readQuery<S extends z.ZodType>(request: NextRequest, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(request.nextUrl.searchParams))
}
