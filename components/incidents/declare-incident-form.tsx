'use client'
import { useMutation } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { callApi } from '@/components/api-client'

export function DeclareIncidentForm() {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const declare = useMutation({
    mutationFn: (input: Record<string, string>) => callApi<{ incident: { number: number } }>('/api/incidents', { method: 'POST', body: JSON.stringify(input) }),
    onSuccess: ({ incident }) => router.push(`/incidents/${incident.number}`),
    onError: (e) => setError(e.message),
  })
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setError(null)
    const form = new FormData(event.currentTarget)
    declare.mutate(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])))
  }
  return (
    <details className="panel declare">
      <summary>Declare an incident</summary>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <form className="form-row" onSubmit={onSubmit}>
        <label style={{ flex: '2 1 280px' }}>
          Title
          <input name="title" required minLength={3} maxLength={200} placeholder="Judge scores dropping on rag-chat" />
        </label>
        <label>
          Severity
          <select name="severity" defaultValue="SEV2">
            <option value="SEV1">SEV1 (critical)</option>
            <option value="SEV2">SEV2 (major)</option>
            <option value="SEV3">SEV3 (minor)</option>
            <option value="SEV4">SEV4 (low)</option>
          </select>
        </label>
        <label>
          Pipeline
          <input name="pipeline" maxLength={120} placeholder="rag-chat" />
        </label>
        <label>
          Models <span className="muted" style={{ fontWeight: 400 }}>(comma-separated)</span>
          <input name="models" placeholder="llama-3-70b, bge-large" />
        </label>
        <button className="primary" type="submit" disabled={declare.isPending}>
          {declare.isPending ? 'Declaring…' : 'Declare and take command'}
        </button>
      </form>
    </details>
  )
}
