'use client'
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { useHydrated } from '@/components/use-hydrated'
import type { PostmortemContent } from '@/lib/postmortems/schemas'
import { SECTIONS, type SectionKey } from '@/lib/postmortems/template'
import type { PostmortemView, SaveConflictDetails } from '@/lib/postmortems/views'
import { CauseAreasField, FactorsEditor } from './factors-editor'
import { PostmortemDocument } from './postmortem-document'
import { SaveConflict, type Draft } from './save-conflict'
import { TimelineEditor } from './timeline-editor'
import './postmortems.css'

const draftOf = (pm: { title: string; content: PostmortemContent }): Draft => ({ title: pm.title, content: pm.content })
const same = (a: Draft, b: Draft) => JSON.stringify(a) === JSON.stringify(b)
const rowsFor = (text: string) => Math.min(24, Math.max(4, text.split('\n').length + 1))

/**
 * The whole document in one form, saved on top of the version it was loaded at (Ctrl+S or the Save button).
 * A stale save shows both texts (SaveConflict) instead of overwriting anyone.
 */
export function PostmortemEditor({ pm, onSaved, onDirtyChange, commentCounts, onComment }: {
  pm: PostmortemView
  onSaved: (pm: PostmortemView) => void
  onDirtyChange?: (dirty: boolean) => void
  commentCounts: Record<string, number>
  onComment: (section: string) => void
}) {
  const id = useId()
  const hydrated = useHydrated()
  const [saved, setSaved] = useState<Draft>(() => draftOf(pm))
  const [draft, setDraft] = useState<Draft>(() => draftOf(pm))
  const [base, setBase] = useState(pm.version)
  const [conflict, setConflict] = useState<SaveConflictDetails['current'] | null>(null)
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string; issues?: string[] } | null>(null)
  const [isSaving, setSaving] = useState(false)
  const [isPreview, setPreview] = useState(false)
  const isDirty = !same(draft, saved)
  const messageRef = useRef<HTMLDivElement>(null)
  const conflictRef = useRef<HTMLDivElement>(null)

  // a failed save moves focus to what says why (the conflict, or the error), so keyboard and screen-reader users land on it
  useEffect(() => {
    if (conflict) conflictRef.current?.focus()
  }, [conflict])
  useEffect(() => {
    if (message?.kind === 'error') messageRef.current?.focus()
  }, [message])

  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange])
  useEffect(() => {
    if (!isDirty) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [isDirty])

  async function save(onVersion = base) {
    setSaving(true)
    setMessage(null)
    try {
      const { postmortem } = await callApi<{ postmortem: PostmortemView }>(`/api/postmortems/${pm.number}`, { method: 'PUT', body: JSON.stringify({ version: onVersion, title: draft.title, content: draft.content }) })
      setSaved(draftOf(postmortem))
      setDraft(draftOf(postmortem))
      setBase(postmortem.version)
      setConflict(null)
      setMessage({ kind: 'success', text: `Saved as version ${postmortem.version}.` })
      onSaved(postmortem)
    } catch (error) {
      const details = error instanceof ApiError && error.code === 'conflict' ? (error.details as SaveConflictDetails | undefined) : undefined
      if (details?.current) {
        setConflict(details.current)
        setMessage(null)
      } else if (error instanceof ApiError && error.issues.length) {
        setMessage({ kind: 'error', text: 'Some parts need attention; nothing was saved.', issues: error.issues.map((i) => `${i.path}: ${i.message}`) })
      } else setMessage({ kind: 'error', text: error instanceof Error ? error.message : 'Saving failed; nothing was saved.' })
    } finally {
      setSaving(false)
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (!conflict) void save()
  }

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault()
      if (!conflict && !isSaving) void save()
    }
  }

  const setSection = (key: SectionKey, text: string) => setDraft({ ...draft, content: { ...draft.content, sections: { ...draft.content.sections, [key]: text } } })
  const setContent = (patch: Partial<PostmortemContent>) => setDraft({ ...draft, content: { ...draft.content, ...patch } })
  const commentLink = (section: string) => (
    <button type="button" className="trace-link-button small" onClick={() => onComment(section)}>
      {commentCounts[section] ? `${commentCounts[section]} comment${commentCounts[section] === 1 ? '' : 's'}` : 'Comment'}
    </button>
  )

  return (
    <form className="panel pm-editor" onSubmit={onSubmit} onKeyDown={onKeyDown} aria-labelledby={`${id}-heading`} noValidate>
      <div className="page-head" style={{ margin: 0 }}>
        <h2 id={`${id}-heading`} style={{ margin: 0 }}>Write the postmortem</h2>
        <button type="button" onClick={() => setPreview(!isPreview)} aria-pressed={isPreview}>{isPreview ? 'Back to editing' : 'Preview'}</button>
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        Blameless: describe what the system, its signals and its safeguards did and did not do. Markdown works in every section.
      </p>
      {conflict ? (
        <div ref={conflictRef} tabIndex={-1}>
          <SaveConflict
            current={conflict}
            mine={draft}
            onChange={setDraft}
            isSaving={isSaving}
            onKeepMine={() => { setBase(conflict.version); void save(conflict.version) }}
            onTakeTheirs={() => { const theirs = draftOf(conflict); setDraft(theirs); setSaved(theirs); setBase(conflict.version); setConflict(null); setMessage(null) }}
          />
        </div>
      ) : null}
      {isPreview ? <PostmortemDocument content={draft.content} headingLevel={3} /> : (
        <>
          <label>
            Title
            <input className="pm-title-input" readOnly={!hydrated} value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} maxLength={200} required />
          </label>
          <section className="pm-section" aria-labelledby={`${id}-summary`}>
            <h3 id={`${id}-summary`}>Summary {commentLink('summary')}</h3>
            <p className="pm-prompt">Two or three sentences for someone who reads nothing else. Prefilled from the facts.</p>
            <textarea aria-label="Summary" readOnly={!hydrated} rows={rowsFor(draft.content.summary)} value={draft.content.summary} onChange={(e) => setContent({ summary: e.target.value })} />
          </section>
          <section className="pm-section" aria-labelledby={`${id}-timeline`}>
            <h3 id={`${id}-timeline`}>Timeline {commentLink('timeline')}</h3>
            <TimelineEditor events={draft.content.timeline} onChange={(timeline) => setContent({ timeline })} />
          </section>
          {SECTIONS.map((section) => (
            <section key={section.key} className="pm-section" aria-labelledby={`${id}-${section.key}`} data-testid={`section-${section.key}`}>
              <h3 id={`${id}-${section.key}`}>
                {section.title}{section.isRequiredToPublish ? <span className="muted small" title="Required to publish"> *</span> : null} {commentLink(section.key)}
              </h3>
              <p className="pm-prompt" id={`${id}-${section.key}-prompt`}>{section.prompt}</p>
              {section.key === 'root-cause' ? <CauseAreasField areas={draft.content.causeAreas} onChange={(causeAreas) => setContent({ causeAreas })} /> : null}
              <textarea
                aria-label={section.title}
                readOnly={!hydrated}
                aria-describedby={`${id}-${section.key}-prompt`}
                rows={rowsFor(draft.content.sections[section.key])}
                value={draft.content.sections[section.key]}
                onChange={(e) => setSection(section.key, e.target.value)}
              />
              {section.key === 'root-cause' ? <FactorsEditor factors={draft.content.factors} onChange={(factors) => setContent({ factors })} /> : null}
            </section>
          ))}
        </>
      )}
      <div className="pm-savebar">
        <button type="submit" className="primary" disabled={isSaving || !!conflict}>{isSaving ? 'Saving…' : 'Save'}</button>
        <span className="muted small">editing on top of version {base} · Ctrl+S saves</span>
        {isDirty ? <span className="pm-dirty" data-testid="unsaved">Unsaved changes</span> : null}
        {message ? (
          <div ref={messageRef} tabIndex={-1} className={`alert ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="save-message" style={{ margin: 0 }}>
            {message.text}
            {message.issues ? <ul>{message.issues.map((i) => <li key={i}>{i}</li>)}</ul> : null}
          </div>
        ) : null}
      </div>
    </form>
  )
}
