import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ClassifyWizard } from '@/components/classify/wizard'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { currentRevision } from '@/lib/classify/service'
import { getIncident } from '@/lib/incidents'
import { incidentNumberSchema } from '@/lib/incidents/schemas'
import { orNotFound } from '@/lib/pages/or-not-found'

type Props = { params: Promise<{ number: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Classify INC-${(await params).number}` }
}

export default async function ClassifyPage({ params }: Props) {
  const actor = await requirePageActor()
  const parsed = incidentNumberSchema.safeParse((await params).number)
  if (!parsed.success) notFound()
  const context = await getRequestContext()
  const detail = await orNotFound(() => getIncident(context, parsed.data))
  const revision = await currentRevision(context, parsed.data)
  return <ClassifyWizard number={parsed.data} title={detail.incident.title} currentRevision={revision} canWrite={can(actor.role, 'incident:write')} />
}
