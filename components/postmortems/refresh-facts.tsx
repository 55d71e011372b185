'use client'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import type { PostmortemView } from '@/lib/postmortems/views'

/** Takes the facts again: the SLO impact once the metrics backend is back, a late classification, more checklist work. */
export function RefreshFactsButton({ number, onRefreshed }: { number: number; onRefreshed: (pm: PostmortemView) => void }) {
  const [isBusy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function refresh() {
    setBusy(true)
    setError(null)
    try {
      onRefreshed((await callApi<{ postmortem: PostmortemView }>(`/api/postmortems/${number}/facts`, { method: 'POST' })).postmortem)
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Refreshing failed; the facts are unchanged.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" onClick={() => void refresh()} disabled={isBusy}>{isBusy ? 'Refreshing… (may take up to 20 s)' : 'Refresh facts'}</button>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </>
  )
}
