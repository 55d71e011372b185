'use client'
import Link from 'next/link'
import { useCallback, useMemo, useRef, useState } from 'react'
import { Time } from '@/components/ui/time'
import { isEditable } from '@/lib/postmortems/lifecycle'
import { postmortemRef, type CommentView, type PostmortemView, type RevisionView } from '@/lib/postmortems/views'
import { ActionItemsPanel } from './action-items-panel'
import type { Owner } from './action-items-table'
import { PostmortemStatusBadge } from './badges'
import { CitedCases } from './cited-cases'
import { CommentsPanel } from './comments-panel'
import { FactsView } from './facts-view'
import { PostmortemDocument } from './postmortem-document'
import { PostmortemEditor } from './postmortem-editor'
import { RefreshFactsButton } from './refresh-facts'
import { StatusActions } from './status-actions'
import './postmortems.css'

/** The postmortem page: header and review actions, the document (editor while not published), facts and follow-ups. */
export function PostmortemWorkspace({ initial, comments: initialComments, revisions, owners, canWrite, today }: {
  initial: PostmortemView
  comments: CommentView[]
  revisions: RevisionView[]
  owners: Owner[]
  canWrite: boolean
  today: string
}) {
  const [pm, setPm] = useState(initial)
  const [comments, setComments] = useState(initialComments)
  const [isDirty, setDirty] = useState(false)
  const [commentSection, setCommentSection] = useState('')
  const commentBox = useRef<HTMLTextAreaElement>(null)
  const canEdit = canWrite && isEditable(pm.status)
  const commentCounts = useMemo(() => {
    const counts: Record<string, number> = {}
    for (const c of comments) if (c.section) counts[c.section] = (counts[c.section] ?? 0) + 1
    return counts
  }, [comments])
  const onComment = useCallback((section: string) => {
    setCommentSection(section)
    document.getElementById('comments')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
    commentBox.current?.focus({ preventScroll: true })
  }, [])

  return (
    <div className="pm-page">
      <p className="muted small" style={{ margin: 0 }}><Link href="/postmortems">Postmortems</Link> / {postmortemRef(pm.number)}</p>
      <header className="panel pm-head">
        <div>
          <span className="mono muted">{postmortemRef(pm.number)}</span>
          <h1 data-testid="postmortem-title">{pm.title}</h1>
          <div className="room-badges">
            <PostmortemStatusBadge status={pm.status} />
            <span>Blameless postmortem of <Link className="incident-link" href={`/incidents/${pm.incident.number}`}>INC-{pm.incident.number}</Link> {pm.incident.title}</span>
          </div>
        </div>
        <p className="muted small" style={{ margin: 0 }}>
          Started by {pm.createdByName} on <Time iso={pm.createdAt} /> · version {pm.version}, last saved by {pm.lastEditorName}
          {pm.publishedAt ? <> · published <Time iso={pm.publishedAt} /></> : null}
        </p>
        <div className="pm-actions">
          <StatusActions pm={pm} canWrite={canWrite} isDirty={isDirty} onChanged={setPm} />
          <a className="button" href={`/api/postmortems/${pm.number}/export`} download data-testid="export-markdown">Export markdown</a>
          <Link className="button" href={`/postmortems/${pm.number}/print`}>Print view</Link>
        </div>
      </header>

      <div className="pm-layout">
        <div className="pm-side">
          {canEdit ? (
            <PostmortemEditor pm={pm} onSaved={setPm} onDirtyChange={setDirty} commentCounts={commentCounts} onComment={onComment} />
          ) : (
            <article className="panel">
              {pm.status === 'published' ? <p className="alert success" role="status" style={{ marginTop: 0 }}>Published: this text is the record. Comments and action items stay open.</p> : null}
              <PostmortemDocument content={pm.content} />
            </article>
          )}
          <ActionItemsPanel postmortemNumber={pm.number} items={pm.actionItems} owners={owners} canWrite={canWrite} today={today} onChange={(update) => setPm((current) => ({ ...current, actionItems: update(current.actionItems) }))} />
        </div>
        <aside className="pm-side" aria-label="Facts and review">
          <section className="panel" aria-labelledby="pm-facts-heading">
            <div className="page-head" style={{ margin: 0 }}>
              <h2 id="pm-facts-heading" style={{ margin: 0 }}>Facts</h2>
              {canEdit ? <RefreshFactsButton number={pm.number} onRefreshed={setPm} /> : null}
            </div>
            <FactsView facts={pm.facts} />
          </section>
          <CitedCases pm={pm} canEdit={canEdit} onChanged={setPm} />
          <CommentsPanel
            ref={commentBox}
            postmortemNumber={pm.number}
            comments={comments}
            canWrite={canWrite}
            section={commentSection}
            onSectionChange={setCommentSection}
            onAdded={(c) => setComments((current) => [...current, c])}
          />
          <section className="panel" aria-labelledby="pm-revisions-heading">
            <h2 id="pm-revisions-heading" style={{ marginTop: 0 }}>Versions</h2>
            <p className="muted small">Every save is kept: open a version to read it and see what it changed. {revisions.length > 0 && revisions[0].version < pm.version ? 'Reload to see the newest.' : ''}</p>
            <table className="compact">
              <thead><tr><th scope="col">Version</th><th scope="col">By</th><th scope="col">When</th></tr></thead>
              <tbody>
                {revisions.slice(0, 20).map((r) => (
                  <tr key={r.version}>
                    <td><Link href={`/postmortems/${pm.number}/revisions/${r.version}`} aria-label={`Version ${r.version}: open it and see what changed`}>{r.version}</Link></td>
                    <td>{r.authorName}</td>
                    <td className="small"><Time iso={r.createdAt} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </aside>
      </div>
    </div>
  )
}
