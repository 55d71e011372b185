import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound, redirect } from 'next/navigation'
import { SloForm } from '@/components/slos/slo-form'
import type { Slo } from '@/components/slos/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { sloNameSchema } from '@/lib/slo/schemas'
import { getSlo } from '@/lib/slo/service'

export const metadata: Metadata = { title: 'Edit SLO' }

export default async function EditSloPage({ params }: { params: Promise<{ name: string }> }) {
  const actor = await requirePageActor()
  const name = sloNameSchema.safeParse((await params).name)
  if (!name.success) notFound()
  if (!can(actor.role, 'slo:write')) redirect(`/slos/${name.data}`)
  const slo = await orNotFound(async () => getSlo(await getRequestContext(), name.data))
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}><Link href="/slos">SLOs</Link> / <Link href={`/slos/${slo.name}`}>{slo.displayName}</Link> / edit</p>
      <h1 style={{ marginTop: 0 }}>Edit {slo.displayName}</h1>
      <SloForm existing={toJson<Slo>(slo)} />
    </>
  )
}
