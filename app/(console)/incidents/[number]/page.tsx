import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { IncidentRoom } from '@/components/incidents/incident-room'
import type { IncidentDetail } from '@/components/incidents/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { getIncident, listAssignableUsers } from '@/lib/incidents'
import { listRunbooks } from '@/lib/runbooks'
import { incidentNumberSchema } from '@/lib/incidents/schemas'
import { orNotFound } from '@/lib/pages/or-not-found'

type Props = { params: Promise<{ number: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `INC-${(await params).number}` }
}

export default async function IncidentPage({ params }: Props) {
  const actor = await requirePageActor()
  const parsed = incidentNumberSchema.safeParse((await params).number)
  if (!parsed.success) notFound()
  const context = await getRequestContext()
  const detail = await orNotFound(() => getIncident(context, parsed.data))
  const [people, runbooks] = await Promise.all([listAssignableUsers(context), listRunbooks(context, {})])
  return (
    <IncidentRoom
      number={parsed.data}
      initial={toJson<IncidentDetail>(detail)}
      canWrite={can(actor.role, 'incident:write')}
      canWritePostmortem={can(actor.role, 'postmortem:write')}
      me={{ id: actor.id, name: actor.name, email: actor.email }}
      people={people}
      runbooks={runbooks.map((r) => ({ id: r.id, title: r.title }))}
    />
  )
}
