'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import { caseRef } from './types'

/** Export (a download of the firebreak.case/v1 document) and, for its pinner or an editor, delete. */
export function CaseActions({ number, title, canDelete }: { number: number; title: string; canDelete: boolean }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [isDeleting, setDeleting] = useState(false)

  async function remove() {
    if (!window.confirm(`Delete ${caseRef(number)} “${title}”? Its snapshot may be the only copy of the trace left; the audit log keeps an export that Import can restore.`)) return
    setDeleting(true)
    setError(null)
    try {
      await callApi(`/api/cases/${number}`, { method: 'DELETE' })
      router.push('/cases')
      router.refresh()
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Deleting failed; nothing was changed.')
      setDeleting(false)
    }
  }

  return (
    <div className="case-actions">
      <a className="button" href={`/api/cases/${number}/export`} download>Export JSON</a>
      {canDelete ? <button type="button" onClick={() => void remove()} disabled={isDeleting}>{isDeleting ? 'Deleting…' : 'Delete case'}</button> : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </div>
  )
}
