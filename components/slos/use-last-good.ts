'use client'
import { useRef } from 'react'

/**
 * Keeps the last value that was there: during a backend outage the API still answers (definitions, the outage) but
 * without numbers, and a responder should keep seeing the last numbers, with their age, rather than dashes.
 */
export function useLastGood<T>(value: T | null, updatedAt: number): { value: T | null; staleSince: number | null } {
  const last = useRef<{ value: T; at: number } | null>(null)
  if (value !== null) {
    last.current = { value, at: updatedAt }
    return { value, staleSince: null }
  }
  return last.current ? { value: last.current.value, staleSince: last.current.at } : { value: null, staleSince: null }
}

/** Per key (an SLO name): the last non-null value of each. */
export function useLastGoodByKey<T>(values: Record<string, T | null>, updatedAt: number): { values: Record<string, T | null>; staleSince: Record<string, number> } {
  const last = useRef<Record<string, { value: T; at: number }>>({})
  const out: Record<string, T | null> = {}
  const staleSince: Record<string, number> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value !== null) {
      last.current[key] = { value, at: updatedAt }
      out[key] = value
    } else if (last.current[key]) {
      out[key] = last.current[key].value
      staleSince[key] = last.current[key].at
    } else {
      out[key] = null
    }
  }
  return { values: out, staleSince }
}
