'use client'
import { useMutation } from '@tanstack/react-query'
import Link from 'next/link'
import { useState, type FormEvent } from 'react'
import { useHydrated } from '@/components/use-hydrated'
import { computeDiff, DiffView } from './diff-view'

interface Conflict {
  headRevision: number
  theirs: { number: number; content: string; authorName: string; createdAt: string; message: string }
}

class SaveError extends Error {
  constructor(message: string, readonly issues: { message: string }[] = [], readonly conflict?: Conflict) {
    super(message)
  }
}

async function save(id: string, input: { content: string; message: string; baseRevision: number }) {
  const response = await fetch(`/api/runbooks/${id}/revisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })
  const body = await response.json().catch(() => null)
  if (!response.ok) throw new SaveError(body?.error?.message ?? `Saving failed (${response.status})`, body?.error?.issues ?? [], response.status === 409 ? body?.error?.details : undefined)
  return body.revision as { number: number }
}

async function submit(id: string, number: number) {
  const response = await fetch(`/api/runbooks/${id}/revisions/${number}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'submit' }) })
  if (!response.ok) throw new SaveError((await response.json().catch(() => null))?.error?.message ?? 'Submitting failed')
}

export function RunbookEditor({ id, initialContent, baseRevision: initialBase }: { id: string; initialContent: string; baseRevision: number }) {
  const [content, setContent] = useState(initialContent)
  const hydrated = useHydrated()
  const [message, setMessage] = useState('')
  const [base, setBase] = useState(initialBase)
  const [saved, setSaved] = useState<number | null>(null)
  const [submitted, setSubmitted] = useState(false)
  const mutation = useMutation({
    mutationFn: () => save(id, { content, message, baseRevision: base }),
    onSuccess: (revision) => {
      setSaved(revision.number)
      setBase(revision.number)
      setSubmitted(false)
    },
  })
  const submitMutation = useMutation({ mutationFn: (number: number) => submit(id, number), onSuccess: () => setSubmitted(true) })
  const error = mutation.error instanceof SaveError ? mutation.error : null
  const conflict = error?.conflict

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    setSaved(null)
    mutation.mutate()
  }

  return (
    <form onSubmit={onSubmit} className="runbook-editor">
      {saved !== null ? (
        <div className="alert success" role="status" data-testid="save-result">
          Saved as revision {saved} (draft).{' '}
          {submitted ? (
            <>Submitted for review: another editor publishes it from <Link href={`/runbooks/${id}/history`}>History and review</Link>.</>
          ) : (
            <button type="button" className="primary" disabled={submitMutation.isPending} onClick={() => submitMutation.mutate(saved)}>
              Submit revision {saved} for review
            </button>
          )}
          {submitMutation.error ? <div className="alert error" role="alert">{submitMutation.error.message}</div> : null}
        </div>
      ) : null}
      {error && !conflict ? (
        <div className="alert error" role="alert" data-testid="save-error">
          {error.message}
          {error.issues.length ? <ul>{error.issues.map((i, n) => <li key={n}>{i.message}</li>)}</ul> : null}
        </div>
      ) : null}
      {conflict ? (
        <section className="alert error conflict" role="alert" data-testid="conflict">
          <h2 style={{ marginTop: 0 }}>Someone else saved first</h2>
          <p>
            {conflict.theirs.authorName} saved revision {conflict.theirs.number} (“{conflict.theirs.message}”) while you were editing. Your text is
            still in the editor below; nothing is lost. What changes if your text replaces theirs:
          </p>
          <DiffView parts={computeDiff(conflict.theirs.content, content)} label="Their revision compared with your text" />
          <details>
            <summary>Their full text (revision {conflict.theirs.number})</summary>
            <pre className="their-text" data-testid="their-text">{conflict.theirs.content}</pre>
          </details>
          <div className="room-actions">
            <button type="button" className="primary" onClick={() => { setBase(conflict.headRevision); mutation.reset() }}>
              Keep my text and save it on top of revision {conflict.headRevision}
            </button>
            <button type="button" onClick={() => { setContent(conflict.theirs.content); setBase(conflict.headRevision); mutation.reset() }}>
              Discard my text and continue from theirs
            </button>
          </div>
        </section>
      ) : null}
      <label>
        Markdown, with front matter <span className="muted" style={{ fontWeight: 400 }}>(editing on top of revision {base})</span>
        <textarea className="mono runbook-text" value={content} onChange={(e) => setContent(e.target.value)} readOnly={!hydrated} rows={28} spellCheck={false} />
      </label>
      <div className="form-row">
        <label style={{ flex: '1 1 420px' }}>
          What changed and why
          <input value={message} onChange={(e) => setMessage(e.target.value)} required minLength={3} maxLength={500} placeholder="Add the --max-num-batched-tokens step for long prompts" />
        </label>
        <button type="submit" className="primary" disabled={mutation.isPending || !!conflict}>
          {mutation.isPending ? 'Saving…' : 'Save draft revision'}
        </button>
        <Link className="button" href={`/runbooks/${id}`}>Back to the runbook</Link>
      </div>
    </form>
  )
}
