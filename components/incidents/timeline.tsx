'use client'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { callApi } from '@/components/api-client'
import { Time } from '@/components/ui/time'
import { formatEvidence } from '@/lib/classify/format'
import type { TimelineItem } from './types'

const KIND_LABEL: Record<string, string> = {
  opened: 'opened', declared: 'declared', 'alert.fired': 'alert', 'alert.resolved': 'alert', status: 'status', severity: 'severity',
  commander: 'commander', scribe: 'scribe', title: 'title', note: 'note', link: 'link', checklist: 'runbook step', classification: 'classification',
}

const STEP_NAMES: Record<string, string> = { errorState: 'Error state', pathway: 'Pathway', failureClass: 'Failure class' }

/** A classification entry: the decision, its runbook, and the evidence each step showed when it was decided. */
function ClassificationEntry({ entry }: { entry: TimelineItem }) {
  const steps = entry.data?.steps ?? []
  return (
    <div className="tl-classification">
      {entry.body} {entry.data?.runbook ? <Link href={entry.data.runbook}>Open its runbook</Link> : null}
      {steps.length ? (
        <details>
          <summary>Evidence as it was at the decision</summary>
          {steps.map((step) => (
            <div key={step.step} className="tl-step">
              <strong>{STEP_NAMES[step.step]}</strong>: {step.answer ?? "don't know"}
              {step.overridden ? <> (proposed {step.proposed ?? "don't know"}, overridden)</> : <> ({Math.round(step.confidence * 100)} % confidence)</>}
              {step.regathered ? <span className="muted"> · evidence gathered again when recorded</span> : null}
              <ul className="small">
                {step.evidence.filter((e) => e.status === 'holds').map((e) => (
                  <li key={e.ruleId}>
                    {e.title}: {formatEvidence(e.value, e.unit)} {e.comparison} {formatEvidence(e.threshold, e.unit)} ({e.source}; {e.effects.join('; ')})
                  </li>
                ))}
                {step.missing.length ? <li className="muted">missing: {step.missing.join('; ')}</li> : null}
              </ul>
            </div>
          ))}
        </details>
      ) : null}
    </div>
  )
}

export function Timeline({ number, entries, canWrite }: { number: number; entries: TimelineItem[]; canWrite: boolean }) {
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const [draft, setDraft] = useState('')
  const form = useRef<HTMLFormElement>(null)
  const [link, setLink] = useState({ body: '', url: '' })
  const addLink = useMutation({
    mutationFn: (entry: { body: string; url: string }) => callApi(`/api/incidents/${number}/timeline`, { method: 'POST', body: JSON.stringify({ kind: 'link', ...entry }) }),
    onSuccess: () => {
      setLink({ body: '', url: '' })
      setError(null)
      return queryClient.invalidateQueries({ queryKey: ['incident', number] })
    },
    onError: (e) => setError(`${e.message} Your link is still in the form.`),
  })
  const add = useMutation({
    mutationFn: (body: string) => callApi(`/api/incidents/${number}/timeline`, { method: 'POST', body: JSON.stringify({ kind: 'note', body }) }),
    onSuccess: () => {
      setDraft('')
      setError(null)
      return queryClient.invalidateQueries({ queryKey: ['incident', number] })
    },
    // the draft stays in the box: nothing typed is lost when the server cannot take it
    onError: (e) => setError(`${e.message} Your note is still in the box.`),
  })
  function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (draft.trim()) add.mutate(draft)
  }
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.current?.requestSubmit()
  }
  return (
    <section className="panel timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" style={{ marginTop: 0 }}>Timeline</h2>
      {canWrite ? (
        <form ref={form} onSubmit={onSubmit} className="note-form">
          <label>
            Add a note <span className="muted" style={{ fontWeight: 400 }}>(Ctrl+Enter to post)</span>
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} rows={2} maxLength={10_000} placeholder="What you saw, what you tried, what you decided" />
          </label>
          {error ? <div className="alert error" role="alert">{error}</div> : null}
          <button type="submit" className="primary" disabled={add.isPending || !draft.trim()}>
            {add.isPending ? 'Posting…' : 'Post note'}
          </button>
        </form>
      ) : null}
      {canWrite ? (
        <details className="link-form">
          <summary>Add a link (dashboard, chat thread, ticket)</summary>
          <form
            className="form-row"
            onSubmit={(event) => {
              event.preventDefault()
              addLink.mutate(link)
            }}
          >
            <label>
              Title
              <input value={link.body} onChange={(e) => setLink({ ...link, body: e.target.value })} required maxLength={300} />
            </label>
            <label style={{ flex: '2 1 260px' }}>
              URL
              <input type="url" value={link.url} onChange={(e) => setLink({ ...link, url: e.target.value })} required placeholder="https://" />
            </label>
            <button type="submit" disabled={addLink.isPending}>{addLink.isPending ? 'Adding…' : 'Add link'}</button>
          </form>
        </details>
      ) : null}
      <ol className="timeline-list" data-testid="timeline">
        {[...entries].reverse().map((entry) => (
          <li key={entry.id} className={`tl tl-${entry.kind.replace('.', '-')}`}>
            <div className="tl-meta">
              <Time iso={entry.at} /> · <span className="tl-kind">{KIND_LABEL[entry.kind] ?? entry.kind}</span>
              {entry.actorName ? <> · {entry.actorName}</> : null}
            </div>
            <div className="tl-body">
              {entry.kind === 'link' && entry.data?.url ? (
                <a href={entry.data.url} rel="noopener noreferrer nofollow" target="_blank">{entry.body}</a>
              ) : entry.kind === 'classification' ? (
                <ClassificationEntry entry={entry} />
              ) : (
                entry.body
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}
