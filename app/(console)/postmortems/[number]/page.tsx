import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { PostmortemWorkspace } from '@/components/postmortems/postmortem-workspace'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { orNotFound } from '@/lib/pages/or-not-found'
import { getPostmortem, listComments, listOwners, listRevisions } from '@/lib/postmortems'
import { utcDay } from '@/lib/postmortems/action-items'
import { postmortemNumberSchema } from '@/lib/postmortems/schemas'

type Props = { params: Promise<{ number: string }> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const number = postmortemNumberSchema.safeParse((await params).number)
  return { title: number.success ? `PM-${number.data}` : 'Postmortem' }
}

export default async function PostmortemPage({ params }: Props) {
  const actor = await requirePageActor()
  const number = postmortemNumberSchema.safeParse((await params).number)
  if (!number.success) notFound()
  const context = await getRequestContext()
  const now = new Date()
  const pm = await orNotFound(() => getPostmortem(context, number.data, { now }))
  const [comments, revisions, owners] = await Promise.all([listComments(context, pm.number), listRevisions(context, pm.number), listOwners(context)])
  return (
    <PostmortemWorkspace
      key={pm.version}
      initial={pm}
      comments={comments}
      revisions={revisions}
      owners={owners.map((o) => ({ id: o.id, name: o.name }))}
      canWrite={can(actor.role, 'postmortem:write')}
      today={utcDay(now)}
    />
  )
}
