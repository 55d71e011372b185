import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Time } from '@/components/ui/time'
import { readAuditLog } from '@/lib/audit'
import { describeChange } from '@/lib/audit/change'
import { auditQuerySchema } from '@/lib/audit/schemas'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Audit log' }

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageActor()
  const context = await getRequestContext()
  if (!context.actor || !can(context.actor.role, 'audit:read')) notFound()
  const raw = await searchParams
  const parsed = auditQuerySchema.safeParse({ limit: raw.limit, before: raw.before, action: raw.action || undefined, actor: raw.actor || undefined })
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({})
  const { events, nextBefore } = await readAuditLog(context, query)
  const filters = new URLSearchParams({ ...(query.action ? { action: query.action } : {}), ...(query.actor ? { actor: query.actor } : {}) })
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted" style={{ margin: 0 }}>Every change, who made it, from where, with the state before and after. Append-only.</p>
        </div>
      </div>
      {!parsed.success ? <div className="alert error" role="alert">Some filters were not valid and were ignored.</div> : null}
      <form className="form-row panel" method="get" style={{ marginBottom: '1rem' }}>
        <label>
          Action starts with
          <input name="action" defaultValue={query.action ?? ''} placeholder="user." />
        </label>
        <label>
          Actor email contains
          <input name="actor" defaultValue={query.actor ?? ''} />
        </label>
        <button type="submit">Filter</button>
        <Link href="/admin/audit" className="button">Clear</Link>
      </form>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Change</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">No events match.</td>
            </tr>
          ) : null}
          {events.map((event) => (
            <tr key={event.id}>
              <td><Time iso={event.at} /></td>
              <td>{event.actorEmail ?? <span className="muted">anonymous</span>}</td>
              <td className="mono">{event.action}</td>
              <td className="mono">{event.targetType}{event.targetId ? `:${event.targetId}` : ''}</td>
              <td>
                <ul className="changes">
                  {describeChange(event.before, event.after).map((change) => (
                    <li key={change.field}>
                      <span className="mono">{change.field}</span>:{' '}
                      {change.before !== undefined ? <del>{change.before}</del> : null}
                      {change.before !== undefined && change.after !== undefined ? ' → ' : null}
                      {change.after !== undefined ? <ins>{change.after}</ins> : null}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="mono">{event.ip ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        {nextBefore ? (
          <Link className="button" href={`/admin/audit?${new URLSearchParams({ ...Object.fromEntries(filters), before: nextBefore })}`}>
            Older events
          </Link>
        ) : (
          <span className="muted">End of the log.</span>
        )}
      </div>
    </>
  )
}
