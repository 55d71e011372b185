import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { UsersAdmin } from '@/components/admin/users-admin'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { listUsers } from '@/lib/users'

export const metadata: Metadata = { title: 'Users' }

export default async function UsersPage() {
  await requirePageActor()
  const context = await getRequestContext()
  if (!context.actor || !can(context.actor.role, 'user:manage')) notFound()
  const users = await listUsers(context)
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p className="muted" style={{ margin: 0 }}>
            Invite people, set their role, disable accounts. Changes take effect on the user&apos;s next request.
          </p>
        </div>
      </div>
      <UsersAdmin initialUsers={toJson(users)} currentUserId={context.actor.id} />
    </>
  )
}
