import type { Metadata } from 'next'
import Link from 'next/link'
import { ActionItemsBoard } from '@/components/postmortems/action-items-board'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { listActionItems, listOwners } from '@/lib/postmortems'
import { ACTION_STATUS_LABELS, PRIORITY_LABELS } from '@/lib/postmortems/action-items'
import { ACTION_ITEM_PRIORITIES, ACTION_ITEM_STATUSES, listActionItemsQuerySchema } from '@/lib/postmortems/schemas'

export const metadata: Metadata = { title: 'Action items' }

type SearchParams = Record<string, string | string[] | undefined>

export default async function ActionItemsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageActor()
  const raw = await searchParams
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = listActionItemsQuerySchema.safeParse(flat)
  const query = parsed.success ? parsed.data : listActionItemsQuerySchema.parse({})
  const context = await getRequestContext()
  const [list, owners] = await Promise.all([listActionItems(context, query), listOwners(context)])
  const isFiltered = query.status !== 'active' || !!query.owner || !!query.priority || query.overdue
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Action items</h1>
          <p className="muted" style={{ margin: 0 }}>Follow-ups from every <Link href="/postmortems">postmortem</Link>, overdue first. Overdue: due before today (UTC) and still open or in progress.</p>
        </div>
      </div>
      <div className="ai-summary" data-testid="action-item-counts">
        <span>{list.counts.active} open or in progress</span>
        <Link href="/action-items?overdue=1" className={list.counts.overdue ? 'bad-count' : undefined}>{list.counts.overdue} overdue</Link>
        {actor.role !== 'viewer' ? <Link href="/action-items?owner=me">Mine</Link> : null}
      </div>
      {!parsed.success ? <p className="alert error" role="alert">Some filters were not understood and were ignored.</p> : null}
      <form className="pm-list-filters" method="get" action="/action-items">
        <label>
          Status
          <select name="status" defaultValue={query.status}>
            <option value="active">open or in progress</option>
            <option value="all">any</option>
            {ACTION_ITEM_STATUSES.map((s) => <option key={s} value={s}>{ACTION_STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <label>
          Owner
          <select name="owner" defaultValue={query.owner ?? ''}>
            <option value="">anyone</option>
            <option value="me">me</option>
            <option value="none">unassigned</option>
            {owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </label>
        <label>
          Priority
          <select name="priority" defaultValue={query.priority ?? ''}>
            <option value="">any</option>
            {ACTION_ITEM_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
          </select>
        </label>
        <label className="inline" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.3rem' }}>
          <input type="checkbox" name="overdue" value="1" defaultChecked={query.overdue} /> Overdue only
        </label>
        <button type="submit">Filter</button>
        {isFiltered ? <Link href="/action-items">Clear</Link> : null}
      </form>
      <ActionItemsBoard key={JSON.stringify(query)} initial={list.items} owners={owners.map((o) => ({ id: o.id, name: o.name }))} canWrite={can(actor.role, 'postmortem:write')} today={list.today} isFiltered={isFiltered} />
    </>
  )
}
