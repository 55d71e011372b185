import type { Metadata } from 'next'
import Link from 'next/link'
import { SloImport } from '@/components/slos/slo-import'
import { SloList } from '@/components/slos/slo-list'
import type { SloWithStatus } from '@/components/slos/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { statusesOf } from '@/lib/slo/live'
import { listSlos } from '@/lib/slo/service'

export const metadata: Metadata = { title: 'SLOs' }

export default async function SlosPage() {
  const actor = await requirePageActor()
  const slos = await listSlos(await getRequestContext())
  const { statuses, errors, telemetry } = await statusesOf(slos)
  const rows = slos.map((slo) => ({ ...slo, status: statuses[slo.name] ?? null, error: errors[slo.name] ?? null }))
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Service level objectives</h1>
          <p className="muted" style={{ margin: 0 }}>Error budgets and multi-window burn rates, refreshed every 15 seconds. A row turns red when a page condition holds.</p>
        </div>
        {can(actor.role, 'slo:write') ? <Link className="button" href="/slos/new">New SLO</Link> : null}
      </div>
      <SloList initial={toJson<{ slos: SloWithStatus[]; telemetry: typeof telemetry }>({ slos: rows, telemetry })} />
      {can(actor.role, 'slo:write') ? <SloImport /> : null}
    </>
  )
}
