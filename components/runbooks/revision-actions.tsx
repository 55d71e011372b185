'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { callApi } from '@/components/api-client'

/** Submit, publish or restore one revision; the page reloads its server data afterwards. */
export function RevisionActions(props: { id: string; number: number; status: string; isAuthor: boolean; canWrite: boolean; canPublish: boolean; headRevision: number }) {
  const router = useRouter()
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  async function act(body: object) {
    setPending(true)
    setError(null)
    try {
      await callApi(`/api/runbooks/${props.id}/revisions/${props.number}`, { method: 'POST', body: JSON.stringify(body) })
      router.refresh()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setPending(false)
    }
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
