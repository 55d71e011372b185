'use client'
import { computeDiff, DiffView } from '@/components/runbooks/diff-view'
import type { PostmortemContent } from '@/lib/postmortems/schemas'
import { CAUSE_AREA_LABELS, SECTIONS } from '@/lib/postmortems/template'
import type { SaveConflictDetails } from '@/lib/postmortems/views'

export interface Draft {
  title: string
  content: PostmortemContent
}

type Current = SaveConflictDetails['current']

interface Field {
  key: string
  label: string
  text: (d: Draft) => string
  take: (mine: Draft, theirs: Draft) => Draft
}

const withContent = (mine: Draft, patch: Partial<PostmortemContent>): Draft => ({ ...mine, content: { ...mine.content, ...patch } })

/** Every part of the document the two saves can differ in, as text to compare and a way to take theirs. */
const FIELDS: Field[] = [
  { key: 'title', label: 'Title', text: (d) => d.title, take: (mine, theirs) => ({ ...mine, title: theirs.title }) },
  { key: 'summary', label: 'Summary', text: (d) => d.content.summary, take: (mine, theirs) => withContent(mine, { summary: theirs.content.summary }) },
  { key: 'timeline', label: 'Timeline', text: (d) => d.content.timeline.map((e) => `${e.pinned ? '★' : '·'} ${e.at.slice(0, 19).replace('T', ' ')} ${e.text}`).join('\n'), take: (mine, theirs) => withContent(mine, { timeline: theirs.content.timeline }) },
  ...SECTIONS.map((s): Field => ({
    key: s.key,
    label: s.title,
    text: (d) => d.content.sections[s.key],
    take: (mine, theirs) => withContent(mine, { sections: { ...mine.content.sections, [s.key]: theirs.content.sections[s.key] } }),
  })),
  { key: 'areas', label: 'Where the root cause sits', text: (d) => d.content.causeAreas.map((a) => CAUSE_AREA_LABELS[a]).join(', '), take: (mine, theirs) => withContent(mine, { causeAreas: theirs.content.causeAreas }) },
  { key: 'factors', label: 'Contributing factors', text: (d) => d.content.factors.map((f) => `${CAUSE_AREA_LABELS[f.area]}: ${f.text}`).join('\n'), take: (mine, theirs) => withContent(mine, { factors: theirs.content.factors }) },
]

/**
 * A stale save: their version and your text, part by part, so you can merge. Nothing of yours is lost: your text
 * stays in the editor until you choose.
 */
export function SaveConflict({ current, mine, onChange, onKeepMine, onTakeTheirs, isSaving }: {
  current: Current
  mine: Draft
  onChange: (draft: Draft) => void
  onKeepMine: () => void
  onTakeTheirs: () => void
  isSaving: boolean
}) {
  const theirs: Draft = { title: current.title, content: current.content }
  const differing = FIELDS.filter((f) => f.text(theirs) !== f.text(mine))
  return (
    <section className="pm-conflict" role="alert" data-testid="save-conflict">
      <h2>{current.lastEditorName} saved first</h2>
      <p style={{ margin: 0 }}>
        {current.lastEditorName} saved version {current.version} while you were editing. Your text is still in the editor; nothing is lost.
        {differing.length ? ` ${differing.length} part${differing.length === 1 ? '' : 's'} differ: take theirs part by part, or edit yours below, then save on top of version ${current.version}.` : ' Your text now matches theirs.'}
      </p>
      {differing.map((field) => (
        <div key={field.key} className="pm-conflict-field" data-testid={`conflict-${field.key}`}>
          <h3>{field.label}</h3>
          <div className="pm-both">
            <div>
              <div className="small muted">Their version ({current.lastEditorName}, version {current.version})</div>
              <pre data-testid="their-text">{field.text(theirs) || '(empty)'}</pre>
            </div>
            <div>
              <div className="small muted">Your text</div>
              <pre data-testid="your-text">{field.text(mine) || '(empty)'}</pre>
            </div>
          </div>
          <details>
            <summary className="small">What changes if yours replaces theirs</summary>
            <DiffView parts={computeDiff(field.text(theirs), field.text(mine))} label={`${field.label}: their version compared with your text`} />
          </details>
          <button type="button" onClick={() => onChange(field.take(mine, theirs))}>Use theirs for {field.label.toLowerCase()}</button>
        </div>
      ))}
      <div className="form-row">
        <button type="button" className="primary" onClick={onKeepMine} disabled={isSaving}>Save my text on top of version {current.version}</button>
        <button type="button" onClick={onTakeTheirs} disabled={isSaving}>Discard my text and continue from theirs</button>
      </div>
    </section>
  )
}
