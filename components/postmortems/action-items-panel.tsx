'use client'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { describedBy, FieldError, issuesByField } from '@/components/cases/case-fields'
import { compareActionItems, PRIORITY_LABELS } from '@/lib/postmortems/action-items'
import { ACTION_ITEM_PRIORITIES, type ActionItemPriority } from '@/lib/postmortems/schemas'
import type { ActionItemView } from '@/lib/postmortems/views'
import { ActionItemsTable, type Owner } from './action-items-table'

/** The postmortem's action items: added here, tracked on /action-items with everyone else's. */
export function ActionItemsPanel({ postmortemNumber, items, owners, canWrite, today, onChange }: {
  postmortemNumber: number
  items: ActionItemView[]
  owners: Owner[]
  canWrite: boolean
  today: string
  /** an update of the current list: saves finish in any order, so each applies to what is there when it lands */
  onChange: (update: (items: ActionItemView[]) => ActionItemView[]) => void
}) {
  const id = useId()
  const [title, setTitle] = useState('')
  const [ownerId, setOwnerId] = useState('')
  const [dueDate, setDueDate] = useState('')
  const [priority, setPriority] = useState<ActionItemPriority>('p2')
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [isBusy, setBusy] = useState(false)
  const sorted = [...items].sort(compareActionItems(today))
  const formRef = useRef<HTMLFormElement>(null)
  const errorRef = useRef<HTMLDivElement>(null)

  // after a refused add, focus goes to the first field that needs attention, or to the message that says why
  useEffect(() => {
    if (!error) return
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
    ;(invalid ?? errorRef.current)?.focus()
  }, [error, issues])

  async function add(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setIssues({})
    setError(null)
    try {
      const { actionItem } = await callApi<{ actionItem: ActionItemView }>(`/api/postmortems/${postmortemNumber}/action-items`, {
        method: 'POST',
        body: JSON.stringify({ title, ownerId: ownerId || null, dueDate: dueDate || null, priority }),
      })
      onChange((current) => [...current, actionItem])
      setTitle('')
      setDueDate('')
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setIssues(issuesByField(e.issues))
      setError(e instanceof Error ? e.message : 'Adding failed; nothing was saved.')
    } finally {
      setBusy(false)
    }
  }

  const err = (field: string) => ({ id: `${id}-${field}-error`, message: issues[field] })
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} id="action-items">
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Action items</h2>
      <ActionItemsTable
        items={sorted}
        owners={owners}
        canWrite={canWrite}
        today={today}
        showPostmortem={false}
        onUpdated={(updated) => onChange((current) => current.map((i) => (i.number === updated.number ? updated : i)))}
        onDeleted={(number) => onChange((current) => current.filter((i) => i.number !== number))}
        emptyText="No action items yet. Turn each lesson that needs work into one, with an owner and a due date."
      />
      {canWrite ? (
        <form ref={formRef} className="ai-form" onSubmit={add} aria-label="Add an action item" style={{ marginTop: '0.75rem' }}>
          <label>
            New action item
            <input value={title} onChange={(e) => setTitle(e.target.value)} required minLength={3} maxLength={300} placeholder="Alert on length-terminated share per route" {...describedBy(err('title').id, err('title').message)} />
            <FieldError {...err('title')} />
          </label>
          <label>
            Owner
            <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)} {...describedBy(err('ownerId').id, err('ownerId').message)}>
              <option value="">unassigned</option>
              {owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
            <FieldError {...err('ownerId')} />
          </label>
          <label>
            Due date
            <input type="date" value={dueDate} min="2000-01-01" max="2099-12-31" onChange={(e) => setDueDate(e.target.value)} {...describedBy(err('dueDate').id, err('dueDate').message)} />
            <FieldError {...err('dueDate')} />
          </label>
          <label>
            Priority
            <select value={priority} onChange={(e) => setPriority(e.target.value as ActionItemPriority)}>
              {ACTION_ITEM_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
            </select>
          </label>
          <button type="submit" disabled={isBusy || title.trim().length < 3}>{isBusy ? 'Adding…' : 'Add action item'}</button>
        </form>
      ) : null}
      {error && Object.keys(issues).length === 0 ? <div ref={errorRef} tabIndex={-1} className="alert error" role="alert">{error}</div> : null}
    </section>
  )
}
