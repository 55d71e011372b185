'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'

/** Submit, publish or restore one revision; the page reloads its server data afterwards. */
export function RevisionActions(props: { id: string; number: number; status: string; isAuthor: boolean; canWrite: boolean; canPublish: boolean; headRevision: number }) {
  const router = useRouter()
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function act(body: object) {
    setPending(true)
    setError(null)
    const response = await fetch(`/api/runbooks/${props.id}/revisions/${props.number}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    setPending(false)
    if (!response.ok) {
      setError((await response.json().catch(() => null))?.error?.message ?? `Failed (${response.status})`)
      return
    }
    router.refresh()
  }
  return (
    <div className="revision-actions">
      {props.canWrite && props.status === 'draft' ? (
        <button type="button" disabled={pending} onClick={() => act({ action: 'submit' })}>Submit for review</button>
      ) : null}
      {props.canPublish && props.status === 'in_review' ? (
        props.isAuthor ? (
          <span className="muted small">another editor reviews this</span>
        ) : (
          <button type="button" className="primary" disabled={pending} onClick={() => act({ action: 'publish' })}>
            Approve and publish r{props.number}
          </button>
        )
      ) : null}
      {props.canWrite && props.number !== props.headRevision ? (
        <button type="button" disabled={pending} onClick={() => act({ action: 'restore', baseRevision: props.headRevision })}>Restore as new draft</button>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </div>
  )
}
