import type { Metadata } from 'next'
import Link from 'next/link'
import { PostmortemStatusBadge } from '@/components/postmortems/badges'
import { Time } from '@/components/ui/time'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { listPostmortems } from '@/lib/postmortems'
import { STATUS_LABELS } from '@/lib/postmortems/lifecycle'
import { listPostmortemsQuerySchema, POSTMORTEM_STATUSES } from '@/lib/postmortems/schemas'

export const metadata: Metadata = { title: 'Postmortems' }

type SearchParams = Record<string, string | string[] | undefined>

export default async function PostmortemsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageActor()
  const raw = await searchParams
  const first = (key: string) => (Array.isArray(raw[key]) ? raw[key][0] : raw[key])
  const parsed = listPostmortemsQuerySchema.safeParse({ status: first('status'), q: first('q') })
  const query = parsed.success ? parsed.data : listPostmortemsQuerySchema.parse({})
  const postmortems = await listPostmortems(await getRequestContext(), query)
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Postmortems</h1>
          <p className="muted" style={{ margin: 0 }}>
            Blameless reviews of mitigated and resolved incidents. Start one from the incident&apos;s page; follow-ups are on <Link href="/action-items">Action items</Link>.
          </p>
        </div>
      </div>
      {!parsed.success ? <p className="alert error" role="alert">Some filters were not understood and were ignored.</p> : null}
      <form className="pm-list-filters" method="get" action="/postmortems">
        <label>
          Status
          <select name="status" defaultValue={query.status ?? ''}>
            <option value="">any</option>
            {POSTMORTEM_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <label>
          Search
          <input type="search" name="q" defaultValue={query.q ?? ''} placeholder="title, incident title or PM-12" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <table data-testid="postmortem-list">
        <thead>
          <tr>
            <th scope="col">Postmortem</th>
            <th scope="col">Status</th>
            <th scope="col">Incident</th>
            <th scope="col">Action items</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {postmortems.length === 0 ? <tr><td colSpan={5} className="muted">No postmortems{query.status || query.q ? ' match these filters' : ' yet. Start one from a mitigated or resolved incident'}.</td></tr> : null}
          {postmortems.map((pm) => (
            <tr key={pm.number}>
              <td><Link className="incident-link" href={`/postmortems/${pm.number}`}><span className="mono">PM-{pm.number}</span> {pm.title}</Link></td>
              <td><PostmortemStatusBadge status={pm.status} /></td>
              <td><Link href={`/incidents/${pm.incident.number}`}>INC-{pm.incident.number}</Link> <span className="small">{pm.incident.severity}</span></td>
              <td>
                {pm.actionItems.open} open of {pm.actionItems.total}
                {pm.actionItems.overdue ? <span className="ai-overdue">{pm.actionItems.overdue} overdue</span> : null}
              </td>
              <td className="small"><Time iso={pm.createdAt} /> <span className="muted">by {pm.createdByName}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
