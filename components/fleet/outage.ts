import { formatDuration, formatUtcTime } from '@/lib/fleet/format'

export interface BackendDownDetails {
  backend?: string
  downSince?: string
}

/**
 * What the fleet view says when a refresh fails: which backend, since when, the error in words, and, when it still
 * shows earlier data, from when and how old that data is.
 */
export function describeOutage(input: { message: string; details?: BackendDownDetails; lastDataAt?: number; now: number }): string {
  const { message, details, lastDataAt, now } = input
  const parts: string[] = []
  if (details?.backend && details.downSince) parts.push(`${details.backend} has not answered since ${formatUtcTime(details.downSince)}.`)
  parts.push(/[.!?]$/.test(message) ? message : `${message}.`)
  if (lastDataAt !== undefined) {
    const age = formatDuration((now - lastDataAt) / 1000)
    parts.push(`Showing the last data Firebreak had, from ${formatUtcTime(new Date(lastDataAt).toISOString())} (${age} old).`)
  } else {
    parts.push('Firebreak has no earlier data to show; it keeps trying every 15 s.')
  }
  return parts.join(' ')
}
