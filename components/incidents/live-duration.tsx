'use client'
import { useEffect, useState } from 'react'
import { formatDuration } from '@/lib/incidents/durations'

/** A duration that keeps counting while the page is open (for incidents that are still open). */
export function LiveDuration({ from, to }: { from: string; to?: string | null }) {
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    setNow(Date.now())
    if (to) return
    const timer = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(timer)
  }, [to])
  const end = to ? Date.parse(to) : now
  if (end === null) return <span className="muted">…</span>
  return <span>{formatDuration(Math.max(0, end - Date.parse(from)))}</span>
}
