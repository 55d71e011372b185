import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, toErrorBody } from './errors'

describe('API error shape', () => {
  it('maps a forbidden AppError to 403 with its message', () => {
    const { status, body } = toErrorBody(new AppError('forbidden', 'Your role (viewer) cannot change users.'))
    expect(status).toBe(403)
    expect(body).toEqual({ error: { code: 'forbidden', message: 'Your role (viewer) cannot change users.' } })
  })

  it('turns a zod failure into 400 with the field issues', () => {
    const result = z.object({ email: z.email(), role: z.enum(['viewer', 'admin']) }).safeParse({ email: 'nope', role: 'root' })
    const { status, body } = toErrorBody(result.error)
    expect(status).toBe(400)
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.issues?.map((i) => i.path)).toEqual(['email', 'role'])
  })

  it('never lets an unexpected error or its stack reach the client', () => {
    const secret = new TypeError("Cannot read properties of undefined (reading 'role') in /srv/firebreak password=hunter2")
    const { status, body } = toErrorBody(secret)
    expect(status).toBe(500)
    const text = JSON.stringify(body)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('/srv/firebreak')
    expect(text).not.toContain('at ')
  })

  it('masks the internal message of a 500 AppError but keeps a 503 explanation and Retry-After', () => {
    expect(toErrorBody(new AppError('internal', 'pool exhausted on shard 3')).body.error.message).not.toContain('shard')
    const unavailable = toErrorBody(new AppError('unavailable', 'The database is unavailable; retry shortly.', { retryAfterSeconds: 5 }))
    expect(unavailable.status).toBe(503)
    expect(unavailable.body.error.message).toContain('database is unavailable')
    expect(unavailable.headers['Retry-After']).toBe('5')
  })

  it('answers 503 with Retry-After when the database cannot be reached, without its address', () => {
    const down = Object.assign(new Error("Can't reach database server at 10.1.2.3:5432"), { name: 'PrismaClientKnownRequestError', code: 'P1001' })
    const { status, body, headers } = toErrorBody(down)
    expect(status).toBe(503)
    expect(body.error.code).toBe('unavailable')
    expect(JSON.stringify(body)).not.toContain('10.1.2.3')
    expect(headers['Retry-After']).toBe('5')
    expect(toErrorBody(new Error('Cannot read properties of undefined')).status).toBe(500)
  })
})
