import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { SloForm } from '@/components/slos/slo-form'
import { can } from '@/lib/auth/permissions'
import { requirePageActor } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'New SLO' }

export default async function NewSloPage() {
  const actor = await requirePageActor()
  if (!can(actor.role, 'slo:write')) redirect('/slos')
  return (
    <>
      <p className="muted small" style={{ margin: 0 }}><Link href="/slos">SLOs</Link> / new</p>
      <h1 style={{ marginTop: 0 }}>New SLO</h1>
      <SloForm />
    </>
  )
}
