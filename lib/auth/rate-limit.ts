/**
 * Sign-in throttling. Failures are counted per (email, client address) and per client address, over a sliding
 * window. Keying on the pair means a stranger guessing at someone's account cannot lock its owner out from their own
 * address; the per-address limit (four times larger) slows one client spraying many accounts.
 */
export interface FailureCounts {
  forAccountFromAddress: number
  fromAddress: number
  /** oldest failure that still counts, per key; the lock lifts when it leaves the window */
  oldestForAccountFromAddress?: Date
  oldestFromAddress?: Date
}

export interface Lockout {
  isLocked: boolean
  retryAfterSeconds: number
}

export function evaluateLockout(counts: FailureCounts, policy: { maxFailures: number; windowMinutes: number }, now: Date): Lockout {
  const windowMs = policy.windowMinutes * 60_000
  const lifts: number[] = []
  if (counts.forAccountFromAddress >= policy.maxFailures && counts.oldestForAccountFromAddress) {
    lifts.push(counts.oldestForAccountFromAddress.getTime() + windowMs)
  }
  if (counts.fromAddress >= policy.maxFailures * 4 && counts.oldestFromAddress) {
    lifts.push(counts.oldestFromAddress.getTime() + windowMs)
  }
  const liftAt = Math.max(0, ...lifts)
  if (liftAt <= now.getTime()) return { isLocked: false, retryAfterSeconds: 0 }
  return { isLocked: true, retryAfterSeconds: Math.ceil((liftAt - now.getTime()) / 1000) }
}

export function lockoutMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return `Too many failed sign-ins from here. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset your password.`
}
