'use client'
import { useId } from 'react'
import { sortTimeline } from '@/lib/postmortems/prefill'
import type { TimelineEvent } from '@/lib/postmortems/schemas'

/** datetime-local has no zone: the editor shows and takes UTC, as the export and print view state it. */
const toInput = (iso: string) => iso.slice(0, 19)
const fromInput = (value: string, fallback: string) => {
  const parsed = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`)
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : fallback
}

/** The postmortem's own timeline: copied from the incident, then edited; pinned events are the story. */
export function TimelineEditor({ events, onChange, disabled }: { events: TimelineEvent[]; onChange: (events: TimelineEvent[]) => void; disabled?: boolean }) {
  const id = useId()
  const update = (index: number, patch: Partial<TimelineEvent>) => onChange(events.map((e, i) => (i === index ? { ...e, ...patch } : e)))
  const add = () => onChange([...events, { id: `added-${Date.now().toString(36)}`, at: new Date().toISOString().replace(/\.\d+Z$/, '.000Z'), text: '', kind: 'added', pinned: true }])
  return (
    <div>
      <p className="muted small" style={{ margin: '0 0 0.4rem' }}>
        {events.filter((e) => e.pinned).length} of {events.length} events pinned. Times are UTC. Pinned events lead the export and the print view.
      </p>
      <ul className="pm-timeline" data-testid="timeline-editor">
        {events.map((event, index) => (
          <li key={event.id} className={event.pinned ? 'pinned' : undefined}>
            <label className="pin">
              <input type="checkbox" checked={event.pinned} disabled={disabled} onChange={(e) => update(index, { pinned: e.target.checked })} aria-label={`Pin event ${index + 1}`} />
              pin
            </label>
            <input type="datetime-local" step={1} value={toInput(event.at)} disabled={disabled} aria-label={`Time of event ${index + 1} (UTC)`} onChange={(e) => update(index, { at: fromInput(e.target.value, event.at) })} />
            <div>
              <input type="text" id={`${id}-${index}`} value={event.text} disabled={disabled} maxLength={2000} aria-label={`Event ${index + 1}`} onChange={(e) => update(index, { text: e.target.value })} style={{ width: '100%' }} />
              <span className="muted small">{event.kind}</span>
            </div>
            <button type="button" disabled={disabled} onClick={() => onChange(events.filter((_, i) => i !== index))} aria-label={`Remove event ${index + 1}`}>Remove</button>
          </li>
        ))}
      </ul>
      <div className="form-row">
        <button type="button" disabled={disabled} onClick={add}>Add event</button>
        <button type="button" disabled={disabled} onClick={() => onChange(sortTimeline(events))}>Sort by time</button>
      </div>
    </div>
  )
}
