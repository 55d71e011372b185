'use client'
import { forwardRef, useId, useState, type FormEvent } from 'react'
import { callApi } from '@/components/api-client'
import { Time } from '@/components/ui/time'
import { COMMENT_SECTIONS, sectionTitle } from '@/lib/postmortems/template'
import type { CommentView } from '@/lib/postmortems/views'

/** Review comments, on one section or the whole document. Open in every status; shown as plain text. */
export const CommentsPanel = forwardRef<HTMLTextAreaElement, {
  postmortemNumber: number
  comments: CommentView[]
  canWrite: boolean
  section: string
  onSectionChange: (section: string) => void
  onAdded: (comment: CommentView) => void
}>(function CommentsPanel({ postmortemNumber, comments, canWrite, section, onSectionChange, onAdded }, bodyRef) {
  const id = useId()
  const [body, setBody] = useState('')
  const [filter, setFilter] = useState<'all' | 'this'>('all')
  const [error, setError] = useState<string | null>(null)
  const [isBusy, setBusy] = useState(false)
  const shown = filter === 'all' ? comments : comments.filter((c) => (c.section ?? '') === section)

  async function add(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { comment } = await callApi<{ comment: CommentView }>(`/api/postmortems/${postmortemNumber}/comments`, { method: 'POST', body: JSON.stringify({ section: section || null, body }) })
      onAdded(comment)
      setBody('')
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The comment was not saved.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`} id="comments">
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Comments <span className="muted small">({comments.length})</span></h2>
      <div className="form-row" style={{ marginBottom: '0.5rem' }}>
        <label className="inline">
          Show
          <select value={filter} onChange={(e) => setFilter(e.target.value as 'all' | 'this')}>
            <option value="all">all comments</option>
            <option value="this">on {section ? sectionTitle(section) : 'the whole document'} only</option>
          </select>
        </label>
      </div>
      {shown.length === 0 ? <p className="muted small">No comments{filter === 'this' ? ' here' : ''} yet.</p> : null}
      <ul className="pm-comments" data-testid="comments">
        {shown.map((c) => (
          <li key={c.id}>
            <div className="small"><strong>{c.authorName}</strong> <span className="muted">on {c.section ? sectionTitle(c.section) : 'the whole document'} · <Time iso={c.createdAt} /></span></div>
            <div className="pm-comment-body">{c.body}</div>
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form className="pm-comment-form" onSubmit={add}>
          <label>
            About
            <select value={section} onChange={(e) => onSectionChange(e.target.value)}>
              <option value="">the whole document</option>
              {COMMENT_SECTIONS.map((s) => <option key={s} value={s}>{sectionTitle(s)}</option>)}
            </select>
          </label>
          <label>
            Comment
            <textarea ref={bodyRef} rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} required />
          </label>
          <div><button type="submit" disabled={isBusy || !body.trim()}>{isBusy ? 'Posting…' : 'Post comment'}</button></div>
          {error ? <div className="alert error" role="alert">{error}</div> : null}
        </form>
      ) : null}
    </section>
  )
})
