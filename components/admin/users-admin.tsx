'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Time } from '@/components/ui/time'
import { ROLE_DESCRIPTIONS, ROLES, type Role } from '@/lib/auth/permissions'
import { callApi } from '@/components/api-client'

export interface UserRow {
  id: string
  email: string
  name: string
  role: Role
  disabled: boolean
  origin: string
  createdAt: string
  lastSignInAt: string | null
}

export function UsersAdmin({ initialUsers, currentUserId }: { initialUsers: UserRow[]; currentUserId: string }) {
  const queryClient = useQueryClient()
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => callApi<{ users: UserRow[] }>('/api/users').then((r) => r.users),
    initialData: initialUsers,
  })
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null)

  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: Partial<Pick<UserRow, 'role' | 'disabled'>> }) =>
      callApi<{ user: UserRow }>(`/api/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(change) }),
    onSuccess: ({ user }) => {
      setMessage({ kind: 'success', text: `Saved ${user.email}: ${user.role}${user.disabled ? ', disabled' : ''}.` })
      return queryClient.invalidateQueries({ queryKey: ['users'] })
    },
    onError: (error) => setMessage({ kind: 'error', text: error.message }),
  })

  const create = useMutation({
    mutationFn: (input: { email: string; name: string; role: Role; password: string }) =>
      callApi<{ user: UserRow; oneTimePassword?: string }>('/api/users', { method: 'POST', body: JSON.stringify(input) }),
    onSuccess: ({ user, oneTimePassword }) => {
      setMessage({
        kind: 'success',
        text: oneTimePassword
          ? `Created ${user.email}. One-time password (shown once, pass it on securely): ${oneTimePassword}`
          : `Created ${user.email}.`,
      })
      return queryClient.invalidateQueries({ queryKey: ['users'] })
    },
    onError: (error) => setMessage({ kind: 'error', text: error.message }),
  })

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const formElement = event.currentTarget
    const form = new FormData(formElement)
    create.mutate(
      {
        email: String(form.get('email')),
        name: String(form.get('name')),
        role: String(form.get('role')) as Role,
        password: String(form.get('password') ?? ''),
      },
      { onSuccess: () => formElement.reset() },
    )
  }

  return (
    <>
      {message ? (
        <div className={`alert ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="users-message">
          {message.text}
        </div>
      ) : null}
      <section className="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading" style={{ marginTop: 0 }}>Invite a user</h2>
        <form className="form-row" onSubmit={onCreate}>
          <label>
            Email
            <input name="email" type="email" required />
          </label>
          <label>
            Name
            <input name="name" required />
          </label>
          <label>
            Role
            <select name="role" defaultValue="responder">
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password <span className="muted" style={{ fontWeight: 400 }}>(empty: generate one)</span>
            <input name="password" type="password" autoComplete="new-password" minLength={12} />
          </label>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </button>
        </form>
      </section>
      <h2>Accounts ({users.data.length})</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.data.map((user) => {
            const isSelf = user.id === currentUserId
            return (
              <tr key={user.id} className={user.disabled ? 'disabled' : undefined} data-testid={`user-${user.email}`}>
                <td>
                  <div>{user.name}</div>
                  <div className="muted mono">{user.email}</div>
                  {user.origin === 'oidc' ? <div className="muted">via single sign-on</div> : null}
                </td>
                <td>
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    disabled={update.isPending || isSelf}
                    title={isSelf ? 'You cannot change your own role' : ROLE_DESCRIPTIONS[user.role]}
                    onChange={(e) => update.mutate({ id: user.id, change: { role: e.target.value as Role } })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{user.disabled ? <span className="badge bad">disabled</span> : <span className="badge ok">active</span>}</td>
                <td>{user.lastSignInAt ? <Time iso={user.lastSignInAt} /> : <span className="muted">never</span>}</td>
                <td>
                  {isSelf ? (
                    <span className="muted">you</span>
                  ) : (
                    <button
                      type="button"
                      aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
                      disabled={update.isPending}
                      onClick={() => update.mutate({ id: user.id, change: { disabled: !user.disabled } })}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
