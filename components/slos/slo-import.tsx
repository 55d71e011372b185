'use client'
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'

/** Paste or upload an OpenSLO file; errors come back with their line and field, and nothing is half-imported. */
export function SloImport() {
  const router = useRouter()
  const queryClient = useQueryClient()
  const [yaml, setYaml] = useState('')
  const [result, setResult] = useState<{ created: string[]; updated: string[] } | null>(null)
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null)
  const [isImporting, setImporting] = useState(false)

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    if (file) setYaml(await file.text())
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setImporting(true)
    setError(null)
    setResult(null)
    try {
      setResult(await callApi<{ created: string[]; updated: string[] }>('/api/slos/import', { method: 'POST', body: JSON.stringify({ yaml }) }))
      // the list shows the new SLOs at once, not at its next refresh
      await queryClient.invalidateQueries({ queryKey: ['slos'] })
      router.refresh()
    } catch (e) {
      setError(e instanceof ApiError ? { message: e.message.replace(/ \(.*\)$/s, ''), issues: e.issues } : { message: 'The import failed; nothing was imported.', issues: [] })
    } finally {
      setImporting(false)
    }
  }

  return (
    <details className="panel slo-import">
      <summary>Import OpenSLO YAML</summary>
      <form onSubmit={submit}>
        <p className="muted small">
          OpenSLO v1 <code>kind: SLO</code> documents with ratio or threshold indicators over Prometheus. Existing names are updated. See <code>examples/openslo/llm-inference.yaml</code>.
        </p>
        <label>
          File
          <input type="file" accept=".yaml,.yml,application/yaml,text/yaml" onChange={readFile} />
        </label>
        <label>
          Or paste it
          <textarea className="mono" rows={10} value={yaml} onChange={(e) => setYaml(e.target.value)} name="yaml" aria-describedby={error ? 'import-errors' : undefined} />
        </label>
        <button type="submit" disabled={isImporting || !yaml.trim()}>{isImporting ? 'Importing…' : 'Import'}</button>
      </form>
      {result ? (
        <p className="alert success" role="status">
          Imported: {[...result.created.map((n) => `${n} (new)`), ...result.updated.map((n) => `${n} (updated)`)].join(', ')}.
        </p>
      ) : null}
      {error ? (
        <div className="alert error" role="alert" id="import-errors">
          <p style={{ margin: 0 }}>{error.message}</p>
          {error.issues.length > 0 ? (
            <ul>
              {error.issues.map((i, n) => (
                <li key={n}>
                  <span className="mono">{i.path}</span>: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  )
}
