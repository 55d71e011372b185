/**
 * The client's address, for the audit log and the sign-in limiter. Firebreak expects to run behind one reverse
 * proxy (or Next's own server) that appends the real peer to X-Forwarded-For, so the last entry is the one a
 * client cannot forge.
 */
export function clientAddress(forwardedFor: string | null | undefined, realIp?: string | null): string {
  const last = forwardedFor?.split(',').map((s) => s.trim()).filter(Boolean).pop()
  return (last || realIp || 'unknown').replace(/^::ffff:/, '').slice(0, 64)
}
