'use client'
import { useRouter } from 'next/navigation'
import { useId, useState, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { CategorySelect, describedBy, FieldError, issuesByField } from './case-fields'
import type { CaseDetail } from './types'

interface Draft {
  title: string
  category: string
  notes: string
  tags: string
}

const draftOf = (c: CaseDetail): Draft => ({ title: c.title, category: c.category, notes: c.notes, tags: c.tags.join(', ') })

/**
 * Edits title, category, notes and tags on top of the version the form was opened at. When someone saved in between,
 * the server answers 409 with their case: the form keeps what you typed, shows theirs, and saving again applies yours
 * on top of theirs.
 */
export function CaseEditor({ initial, onSaved }: { initial: CaseDetail; onSaved?: (saved: CaseDetail) => void }) {
  const router = useRouter()
  const id = useId()
  const [base, setBase] = useState(initial)
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial))
  const [theirs, setTheirs] = useState<CaseDetail | null>(null)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)
  const [isSaving, setSaving] = useState(false)

  async function save(event: FormEvent) {
    event.preventDefault()
    setSaving(true)
    setIssues({})
    setMessage(null)
    try {
      const { case: saved } = await callApi<{ case: CaseDetail }>(`/api/cases/${base.number}`, {
        method: 'PATCH',
        body: JSON.stringify({ version: (theirs ?? base).version, title: draft.title, category: draft.category, notes: draft.notes, tags: draft.tags }),
      })
      setBase(saved)
      setDraft(draftOf(saved))
      setTheirs(null)
      setMessage({ kind: 'success', text: `Saved (version ${saved.version}).` })
      onSaved?.(saved)
      router.refresh()
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict' && error.details && typeof error.details === 'object' && 'current' in error.details) {
        setTheirs((error.details as { current: CaseDetail }).current)
        setMessage({ kind: 'error', text: `${error.message} Your text is still in the form; their version is shown below. Save again to put yours on top of theirs.` })
      } else if (error instanceof ApiError && error.issues.length > 0) {
        setIssues(issuesByField(error.issues))
        setMessage({ kind: 'error', text: 'Some fields need attention; nothing was saved.' })
      } else setMessage({ kind: 'error', text: error instanceof Error ? error.message : 'Saving failed; nothing was saved.' })
    } finally {
      setSaving(false)
    }
  }

  const err = (field: string) => ({ id: `${id}-${field}-error`, message: issues[field] })
  return (
    <form className="panel case-editor" onSubmit={save} noValidate aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Edit case</h2>
      {message ? <div className={`alert ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</div> : null}
      <label>
        Title
        <input value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required maxLength={200} {...describedBy(err('title').id, err('title').message)} />
        <FieldError {...err('title')} />
      </label>
      <label>
        Root-cause category
        <CategorySelect value={draft.category} onChange={(category) => setDraft({ ...draft, category })} invalid={err('category').message} errorId={err('category').id} />
        <FieldError {...err('category')} />
      </label>
      <label>
        Notes
        <textarea rows={8} value={draft.notes} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} maxLength={20000} {...describedBy(err('notes').id, err('notes').message)} />
        <FieldError {...err('notes')} />
      </label>
      <label>
        Tags <span className="muted" style={{ fontWeight: 400 }}>(comma-separated)</span>
        <input value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} {...describedBy(err('tags').id, err('tags').message)} />
        <FieldError {...err('tags')} />
      </label>
      {theirs ? (
        <div className="case-conflict" data-testid="case-conflict">
          <h3>Their version (version {theirs.version})</h3>
          <dl className="kv">
            <dt>Title</dt>
            <dd>{theirs.title}</dd>
            <dt>Category</dt>
            <dd>{theirs.categoryTitle}</dd>
            <dt>Tags</dt>
            <dd>{theirs.tags.join(', ') || '—'}</dd>
            <dt>Notes</dt>
            <dd className="case-notes">{theirs.notes || '—'}</dd>
          </dl>
          <button type="button" onClick={() => { setBase(theirs); setDraft(draftOf(theirs)); setTheirs(null); setMessage(null) }}>Discard mine, take theirs</button>
        </div>
      ) : null}
      <div className="form-row">
        <button type="submit" className="primary" disabled={isSaving}>{isSaving ? 'Saving…' : theirs ? 'Save mine on top of theirs' : 'Save changes'}</button>
      </div>
    </form>
  )
}
