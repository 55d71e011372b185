'use client'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import { availableActions } from '@/lib/postmortems/lifecycle'
import type { TransitionAction } from '@/lib/postmortems/schemas'
import type { PostmortemView } from '@/lib/postmortems/views'

const LABELS: Record<TransitionAction, string> = { submit: 'Submit for review', return: 'Send back to draft', publish: 'Publish' }

/** Review and publish. Any postmortem writer may publish, once the required sections are written (lib/postmortems/lifecycle.ts). */
export function StatusActions({ pm, canWrite, isDirty, onChanged }: { pm: PostmortemView; canWrite: boolean; isDirty: boolean; onChanged: (pm: PostmortemView) => void }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<TransitionAction | null>(null)
  if (!canWrite) return null
  const actions = availableActions(pm.status)

  async function run(action: TransitionAction) {
    setBusy(action)
    setError(null)
    try {
      const { postmortem } = await callApi<{ postmortem: PostmortemView }>(`/api/postmortems/${pm.number}/status`, { method: 'POST', body: JSON.stringify({ action, version: pm.version }) })
      onChanged(postmortem)
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work; nothing changed.')
    } finally {
      setBusy(null)
    }
  }

  return (
    <>
      {actions.map((action) => {
        const blocked = action === 'publish' && pm.publishBlockers.length > 0
        return (
          <button
            key={action}
            type="button"
            className={action === 'publish' || action === 'submit' ? 'primary' : undefined}
            disabled={busy !== null || isDirty || blocked}
            title={isDirty ? 'Save your changes first' : blocked ? pm.publishBlockers.join(' ') : undefined}
            onClick={() => void run(action)}
          >
            {busy === action ? 'Working…' : LABELS[action]}
          </button>
        )
      })}
      {isDirty && actions.length ? <span className="muted small">Save your changes first.</span> : null}
      {pm.status !== 'published' && pm.publishBlockers.length ? (
        <details className="small" data-testid="publish-blockers">
          <summary>Before it can be published ({pm.publishBlockers.length})</summary>
          <ul className="pm-blockers">{pm.publishBlockers.map((b) => <li key={b}>{b}</li>)}</ul>
        </details>
      ) : null}
      {error ? <div className="alert error" role="alert" style={{ flexBasis: '100%' }}>{error}</div> : null}
    </>
  )
}
