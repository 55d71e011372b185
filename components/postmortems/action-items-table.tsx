'use client'
import Link from 'next/link'
import { useState, type KeyboardEvent } from 'react'
import { callApi } from '@/components/api-client'
import { ACTION_STATUS_LABELS, daysOverdue, PRIORITY_LABELS } from '@/lib/postmortems/action-items'
import { ACTION_ITEM_PRIORITIES, ACTION_ITEM_STATUSES, type UpdateActionItemInput } from '@/lib/postmortems/schemas'
import { actionItemRef, postmortemRef, type ActionItemView } from '@/lib/postmortems/views'
import { OverdueFlag, PriorityBadge } from './badges'

export interface Owner {
  id: string
  name: string
}

/**
 * A due date saved when it is complete: on leaving the field or Enter, not on every keystroke (typing a year in a date
 * field passes through 0002, 0020 and 0202, and each change used to be saved and lock the field mid-typing).
 */
function DueDateInput({ value, label, disabled, onCommit }: { value: string | null; label: string; disabled: boolean; onCommit: (dueDate: string | null) => void }) {
  const [text, setText] = useState(value ?? '')
  const [shown, setShown] = useState(value)
  if (shown !== value) {
    // the saved value changed (this save, or a reload): show it
    setShown(value)
    setText(value ?? '')
  }
  const commit = () => {
    if (text !== (value ?? '')) onCommit(text || null)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault()
      commit()
    }
  }
  return <input type="date" value={text} disabled={disabled} aria-label={label} min="2000-01-01" max="2099-12-31" onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={onKeyDown} />
}

/**
 * Action items with their owner, due date, priority and status; overdue rows stand out (red edge, "overdue" flag).
 * Writers change a field in place; each change is saved at once and only that field is sent.
 */
export function ActionItemsTable({ items, owners, canWrite, today, showPostmortem, onUpdated, onDeleted, emptyText }: {
  items: ActionItemView[]
  owners: Owner[]
  canWrite: boolean
  today: string
  showPostmortem: boolean
  onUpdated: (item: ActionItemView) => void
  onDeleted?: (number: number) => void
  emptyText: string
}) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<number | null>(null)

  async function patch(item: ActionItemView, input: UpdateActionItemInput) {
    setBusy(item.number)
    setError(null)
    try {
      onUpdated((await callApi<{ actionItem: ActionItemView }>(`/api/action-items/${item.number}`, { method: 'PATCH', body: JSON.stringify(input) })).actionItem)
    } catch (e) {
      setError(`${actionItemRef(item.number)}: ${e instanceof Error ? e.message : 'not saved'}`)
    } finally {
      setBusy(null)
    }
  }

  async function remove(item: ActionItemView) {
    if (!onDeleted || !window.confirm(`Delete ${actionItemRef(item.number)} “${item.title}”?`)) return
    setBusy(item.number)
    setError(null)
    try {
      await callApi(`/api/action-items/${item.number}`, { method: 'DELETE' })
      onDeleted(item.number)
    } catch (e) {
      setError(`${actionItemRef(item.number)}: ${e instanceof Error ? e.message : 'not deleted'}`)
    } finally {
      setBusy(null)
    }
  }

  return (
    <>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <div style={{ overflowX: 'auto' }}>
        <table className="ai-table" data-testid="action-items">
          <thead>
            <tr>
              <th scope="col">Item</th>
              {showPostmortem ? <th scope="col">Postmortem</th> : null}
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              {canWrite && onDeleted ? <th scope="col"><span className="trace-sr-only">Delete</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? <tr><td colSpan={7} className="muted">{emptyText}</td></tr> : null}
            {items.map((item) => {
              const label = `${actionItemRef(item.number)} ${item.title}`
              const disabled = busy === item.number
              return (
                <tr key={item.id} className={item.isOverdue ? 'overdue' : undefined} data-testid={`action-item-${item.number}`}>
                  <td>
                    <span className="mono muted small">{actionItemRef(item.number)}</span> {item.title}
                    {item.isOverdue ? <OverdueFlag days={daysOverdue(item, today)} /> : null}
                  </td>
                  {showPostmortem ? (
                    <td><Link href={`/postmortems/${item.postmortem.number}`}>{postmortemRef(item.postmortem.number)}</Link> <span className="small">{item.postmortem.title}</span></td>
                  ) : null}
                  <td>
                    {canWrite ? (
                      <select value={item.ownerId ?? ''} disabled={disabled} aria-label={`Owner of ${label}`} onChange={(e) => void patch(item, { ownerId: e.target.value || null })}>
                        <option value="">unassigned</option>
                        {item.ownerId && !owners.some((o) => o.id === item.ownerId) ? <option value={item.ownerId}>{item.ownerName}</option> : null}
                        {owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                      </select>
                    ) : (item.ownerName ?? <span className="muted">unassigned</span>)}
                  </td>
                  <td>
                    {canWrite ? (
                      <DueDateInput value={item.dueDate} disabled={disabled} label={`Due date of ${label}`} onCommit={(dueDate) => void patch(item, { dueDate })} />
                    ) : (item.dueDate ?? <span className="muted">—</span>)}
                  </td>
                  <td>
                    {canWrite ? (
                      <select value={item.priority} disabled={disabled} aria-label={`Priority of ${label}`} onChange={(e) => void patch(item, { priority: e.target.value as ActionItemView['priority'] })}>
                        {ACTION_ITEM_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
                      </select>
                    ) : <PriorityBadge priority={item.priority} />}
                  </td>
                  <td>
                    {canWrite ? (
                      <select value={item.status} disabled={disabled} aria-label={`Status of ${label}`} onChange={(e) => void patch(item, { status: e.target.value as ActionItemView['status'] })}>
                        {ACTION_ITEM_STATUSES.map((s) => <option key={s} value={s}>{ACTION_STATUS_LABELS[s]}</option>)}
                      </select>
                    ) : ACTION_STATUS_LABELS[item.status]}
                  </td>
                  {canWrite && onDeleted ? (
                    <td>{item.postmortem.status !== 'published' ? <button type="button" disabled={disabled} onClick={() => void remove(item)} aria-label={`Delete ${actionItemRef(item.number)}`}>Delete</button> : null}</td>
                  ) : null}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>
  )
}
