'use client'
import { useRouter } from 'next/navigation'
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import type { CaseDetail } from './types'

/** Import a case file (firebreak.case/v1, as Export downloads it): it becomes a new case; mistakes come back with their path. */
export function CaseImport() {
  const router = useRouter()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null)
  const [isImporting, setImporting] = useState(false)

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    if (!file) return
    setFileName(file.name)
    setText(await file.text())
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setImporting(true)
    setError(null)
    try {
      const { case: created } = await callApi<{ case: CaseDetail }>('/api/cases/import', { method: 'POST', body: text })
      router.push(`/cases/${created.number}`)
      router.refresh()
    } catch (e) {
      setError(e instanceof ApiError ? { message: e.message.replace(/ \(.*\)$/s, ''), issues: e.issues } : { message: 'The import failed; nothing was imported.', issues: [] })
      setImporting(false)
    }
  }

  return (
    <details className="panel case-import" data-testid="case-import">
      <summary>Import a case file</summary>
      <form onSubmit={submit}>
        <p className="muted small">
          A <code>firebreak.case/v1</code> JSON document, as <strong>Export JSON</strong> on a case downloads it (from this Firebreak or another). It becomes a new case
          with a number of its own; the trace is redacted with this installation’s rules.
        </p>
        <label>
          File
          <input type="file" accept=".json,application/json" onChange={readFile} />
        </label>
        <label>
          Or paste it
          <textarea className="mono" rows={8} value={text} onChange={(e) => { setText(e.target.value); setFileName(null) }} aria-describedby={error ? 'case-import-errors' : undefined} />
        </label>
        <button type="submit" className="primary" disabled={isImporting || !text.trim()}>{isImporting ? 'Importing…' : fileName ? `Import ${fileName}` : 'Import'}</button>
      </form>
      {error ? (
        <div className="alert error" role="alert" id="case-import-errors">
          <p style={{ margin: 0 }}>{error.message}</p>
          {error.issues.length ? (
            <ul>
              {error.issues.map((issue, i) => (
                <li key={i}><span className="mono">{issue.path}</span>: {issue.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  )
}
