import { describe, expect, it } from 'vitest'
import { evaluateLockout, lockoutMessage } from './rate-limit'

const policy = { maxFailures: 5, windowMinutes: 15 }
const now = new Date('2026-11-22T03:00:00Z')
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000)

describe('sign-in lockout', () => {
  it('allows sign-in below the limit', () => {
    expect(evaluateLockout({ forAccountFromAddress: 4, fromAddress: 4, oldestForAccountFromAddress: minutesAgo(1) }, policy, now).isLocked).toBe(false)
  })

  it('locks an account from one address at the limit, until the oldest failure leaves the window', () => {
    const lockout = evaluateLockout({ forAccountFromAddress: 5, fromAddress: 5, oldestForAccountFromAddress: minutesAgo(5) }, policy, now)
    expect(lockout).toEqual({ isLocked: true, retryAfterSeconds: 600 })
    expect(lockoutMessage(lockout.retryAfterSeconds)).toMatch(/Try again in 10 minutes/)
  })

  it('locks an address that sprays many accounts at four times the limit', () => {
    const lockout = evaluateLockout({ forAccountFromAddress: 1, fromAddress: 20, oldestFromAddress: minutesAgo(14) }, policy, now)
    expect(lockout.isLocked).toBe(true)
    expect(lockout.retryAfterSeconds).toBe(60)
    expect(lockoutMessage(lockout.retryAfterSeconds)).toMatch(/1 minute,/)
  })

  it('lifts once the window has passed', () => {
    expect(evaluateLockout({ forAccountFromAddress: 9, fromAddress: 9, oldestForAccountFromAddress: minutesAgo(16) }, policy, now).isLocked).toBe(false)
  })
})
