'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Time } from '@/components/ui/time'
import { callApi } from '@/components/api-client'

interface TokenRow {
  id: string
  name: string
  kind: string
  prefix: string
  createdAt: string
  revokedAt: string | null
  lastUsedAt: string | null
}

export function TokensAdmin({ initialTokens, webhookUrl }: { initialTokens: TokenRow[]; webhookUrl: string }) {
  const queryClient = useQueryClient()
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => callApi<{ tokens: TokenRow[] }>('/api/tokens').then((r) => r.tokens), initialData: initialTokens })
  const [secret, setSecret] = useState<{ name: string; value: string; kind: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: (input: { name: string; kind: string }) => callApi<{ token: TokenRow; secret: string }>('/api/tokens', { method: 'POST', body: JSON.stringify(input) }),
    onSuccess: ({ token, secret }) => {
      setSecret({ name: token.name, value: secret, kind: token.kind })
      setError(null)
      return queryClient.invalidateQueries({ queryKey: ['tokens'] })
    },
    onError: (e) => setError(e.message),
  })
  const revoke = useMutation({
    mutationFn: (id: string) => callApi(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
    onError: (e) => setError(e.message),
  })
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    create.mutate({ name: String(form.get('name')), kind: String(form.get('kind')) })
  }
  return (
    <>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      {secret ? (
        <div className="alert success" role="status" data-testid="new-token">
          <p style={{ marginTop: 0 }}>
            Token <strong>{secret.name}</strong> created. Copy it now: it is shown once and stored only as a hash.
          </p>
          <code className="secret">{secret.value}</code>
          {secret.kind === 'alertmanager' ? (
            <pre className="snippet">{`# alertmanager.yml
receivers:
  - name: firebreak
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
        http_config:
          authorization:
            credentials: ${secret.value}`}</pre>
          ) : null}
        </div>
      ) : null}
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Create a token</h2>
        <form className="form-row" onSubmit={onSubmit}>
          <label>
            Name
            <input name="name" required maxLength={100} placeholder="alertmanager-prod" />
          </label>
          <label>
            For
            <select name="kind" defaultValue="alertmanager">
              <option value="alertmanager">Alertmanager webhook</option>
              <option value="otlp">OTLP trace ingest</option>
            </select>
          </label>
          <button className="primary" type="submit" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create token'}</button>
        </form>
      </section>
      <h2>Tokens</h2>
      <table>
        <thead>
          <tr><th scope="col">Name</th><th scope="col">For</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr>
        </thead>
        <tbody>
          {tokens.data.length === 0 ? <tr><td colSpan={6} className="muted">No tokens yet.</td></tr> : null}
          {tokens.data.map((t) => (
            <tr key={t.id} className={t.revokedAt ? 'disabled' : undefined}>
              <td>{t.name}</td>
              <td>{t.kind}</td>
              <td className="mono">{t.prefix}…</td>
              <td><Time iso={t.createdAt} /></td>
              <td>{t.lastUsedAt ? <Time iso={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
              <td>
                {t.revokedAt ? (
                  <span className="badge bad">revoked</span>
                ) : (
                  <button type="button" aria-label={`Revoke ${t.name}`} disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>Revoke</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
