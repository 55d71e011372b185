'use client'
import Link from 'next/link'
import { useId, useRef, useState, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { CategorySelect, describedBy, FieldError, issuesByField } from './case-fields'
import { caseRef, type CaseDetail } from './types'

/**
 * "Pin as case" for the trace page: a small dialog (Escape closes it, focus stays inside) with title, root-cause
 * category, notes, tags and incidents to link. The server copies and redacts the trace now, so the case outlives the
 * trace backend's retention; the dialog then links to the new case.
 */
export function PinCaseButton({ traceId, suggestedCategory }: { traceId: string; suggestedCategory?: string }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const id = useId()
  const [pinned, setPinned] = useState<CaseDetail | null>(null)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<string | null>(null)
  const [isPinning, setPinning] = useState(false)

  function open() {
    setIssues({})
    setMessage(null)
    dialog.current?.showModal()
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    setPinning(true)
    setIssues({})
    setMessage(null)
    try {
      const body = { traceId, title: text('title'), category: text('category'), notes: text('notes'), tags: text('tags'), incidentNumbers: text('incidentNumbers') }
      const { case: created } = await callApi<{ case: CaseDetail }>('/api/cases', { method: 'POST', body: JSON.stringify(body) })
      setPinned(created)
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) {
        setIssues(issuesByField(error.issues))
        setMessage('Some fields need attention; nothing was pinned.')
      } else setMessage(error instanceof Error ? error.message : 'Pinning failed; nothing was pinned.')
    } finally {
      setPinning(false)
    }
  }

  const f = (field: string) => ({ errorId: `${id}-${field}-error`, message: issues[field] })
  return (
    <>
      <span className="pin-case">
        <button type="button" onClick={open} aria-haspopup="dialog">Pin as case</button>
        {pinned ? (
          <span className="small" role="status">
            Pinned as <Link href={`/cases/${pinned.number}`}>{caseRef(pinned.number)}</Link>
          </span>
        ) : null}
      </span>
      <dialog ref={dialog} className="pin-case-dialog" aria-labelledby={`${id}-title`} onClose={() => setMessage(null)}>
        {pinned ? (
          <div className="pin-case-done">
            <h2 id={`${id}-title`}>Pinned as {caseRef(pinned.number)}</h2>
            <p>
              “{pinned.title}”, {pinned.spanCount} spans kept from {pinned.source}.
            </p>
            <div className="form-row">
              <Link className="button primary" href={`/cases/${pinned.number}`} autoFocus>Open {caseRef(pinned.number)}</Link>
              <button type="button" onClick={() => setPinned(null)}>Pin it again</button>
              <button type="button" onClick={() => dialog.current?.close()}>Close</button>
            </div>
          </div>
        ) : (
          <form method="dialog" onSubmit={submit} noValidate className="pin-case-form">
            <h2 id={`${id}-title`}>Pin this trace as a failure case</h2>
            <p className="muted small" style={{ margin: 0 }}>
              Trace <span className="mono">{traceId}</span> is copied now, redacted, and kept with the case after the trace backend drops it.
            </p>
            {message ? <div className="alert error" role="alert">{message}</div> : null}
            <label>
              Title
              <input name="title" required minLength={3} maxLength={200} autoFocus placeholder="Answers cut off mid-sentence on refund questions" {...describedBy(f('title').errorId, f('title').message)} />
              <FieldError id={f('title').errorId} message={f('title').message} />
            </label>
            <label>
              Root-cause category
              <CategorySelect defaultValue={suggestedCategory} invalid={f('category').message} errorId={f('category').errorId} />
              <FieldError id={f('category').errorId} message={f('category').message} />
            </label>
            <label>
              Notes <span className="muted" style={{ fontWeight: 400 }}>(what was seen, what fixed it)</span>
              <textarea name="notes" rows={4} maxLength={20000} {...describedBy(f('notes').errorId, f('notes').message)} />
              <FieldError id={f('notes').errorId} message={f('notes').message} />
            </label>
            <div className="form-row">
              <label style={{ flex: '2 1 220px' }}>
                Tags <span className="muted" style={{ fontWeight: 400 }}>(comma-separated)</span>
                <input name="tags" placeholder="kv-cache, rag-chat" {...describedBy(f('tags').errorId, f('tags').message)} />
                <FieldError id={f('tags').errorId} message={f('tags').message} />
              </label>
              <label style={{ flex: '1 1 140px' }}>
                Link incidents
                <input name="incidentNumbers" inputMode="numeric" placeholder="42, INC-43" {...describedBy(f('incidentNumbers').errorId, f('incidentNumbers').message)} />
                <FieldError id={f('incidentNumbers').errorId} message={f('incidentNumbers').message} />
              </label>
            </div>
            <div className="form-row">
              <button type="submit" className="primary" disabled={isPinning}>{isPinning ? 'Pinning…' : 'Pin as case'}</button>
              <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
            </div>
          </form>
        )}
      </dialog>
    </>
  )
}
