import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { SloDetail } from '@/components/slos/slo-detail'
import type { Slo, SloStatus, TelemetryState } from '@/components/slos/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { statusesOf } from '@/lib/slo/live'
import { chartQuerySchema, sloNameSchema } from '@/lib/slo/schemas'
import { getSlo } from '@/lib/slo/service'

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | undefined>> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `SLO ${(await params).name}` }
}

export default async function SloPage({ params, searchParams }: Props) {
  const actor = await requirePageActor()
  const name = sloNameSchema.safeParse((await params).name)
  if (!name.success) notFound()
  const range = chartQuerySchema.safeParse({ range: (await searchParams).range })
  const slo = await orNotFound(async () => getSlo(await getRequestContext(), name.data))
  const { statuses, errors, telemetry } = await statusesOf([slo])
  return (
    <>
      <div className="page-head">
        <div>
          <p className="muted small" style={{ margin: 0 }}><Link href="/slos">SLOs</Link> / {slo.service}</p>
          <h1 style={{ marginTop: 0 }}>{slo.displayName}</h1>
        </div>
      </div>
      <SloDetail
        initial={toJson<{ slo: Slo; status: SloStatus | null; error: string | null; telemetry: TelemetryState }>({ slo, status: statuses[slo.name] ?? null, error: errors[slo.name] ?? null, telemetry })}
        range={range.success ? range.data.range : '7d'}
        canEdit={can(actor.role, 'slo:write')}
      />
    </>
  )
}
