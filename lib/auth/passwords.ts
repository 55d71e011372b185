import { randomBytes } from 'node:crypto'
import bcrypt from 'bcryptjs'

const COST = 11

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST)
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash)
}

/** A one-time password an admin hands to a new user: 18 random bytes, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

/** Compared against when the account does not exist, so a wrong email costs as long as a wrong password. */
export const DUMMY_HASH = bcrypt.hashSync('firebreak-timing-equaliser', COST)
