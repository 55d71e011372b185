import { createHash } from 'node:crypto'

/** Tokens are shown once and stored as SHA-256: a database dump does not hand out working credentials. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
