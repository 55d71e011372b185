'use client'
import { useEffect, useState } from 'react'

/** A timestamp in the reader's local time with UTC beside it; responders in several time zones read the same page. */
export function Time({ iso }: { iso: string }) {
  const [local, setLocal] = useState<string | null>(null)
  useEffect(() => {
    setLocal(new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }))
  }, [iso])
  const utc = iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC')
  return (
    <time dateTime={iso} title={utc}>
      {local ?? utc}
      {local ? <span className="muted"> ({utc})</span> : null}
    </time>
  )
}
