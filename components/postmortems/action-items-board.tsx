'use client'
import { useState } from 'react'
import type { ActionItemView } from '@/lib/postmortems/views'
import { ActionItemsTable, type Owner } from './action-items-table'
import './postmortems.css'

/** Every postmortem's action items in one list; a change made here is saved at once (status, owner, due date, priority). */
export function ActionItemsBoard({ initial, owners, canWrite, today, isFiltered }: { initial: ActionItemView[]; owners: Owner[]; canWrite: boolean; today: string; isFiltered: boolean }) {
  const [items, setItems] = useState(initial)
  return (
    <ActionItemsTable
      items={items}
      owners={owners}
      canWrite={canWrite}
      today={today}
      showPostmortem
      onUpdated={(updated) => setItems((current) => current.map((i) => (i.number === updated.number ? updated : i)))}
      emptyText={isFiltered ? 'No action items match these filters.' : 'No open action items. Postmortems add them; they show up here until done.'}
    />
  )
}
