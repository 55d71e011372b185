'use client'
import Link from 'next/link'
import { useId, useState, type FormEvent } from 'react'
import { callApi } from '@/components/api-client'
import type { CitedCase, PostmortemView } from '@/lib/postmortems/views'

/** Traced cases this postmortem cites; each case's page links back here. */
export function CitedCases({ pm, canEdit, onChanged }: { pm: { number: number; cases: CitedCase[] }; canEdit: boolean; onChanged: (pm: PostmortemView) => void }) {
  const id = useId()
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [isBusy, setBusy] = useState(false)

  async function run(work: () => Promise<{ postmortem: PostmortemView }>) {
    setBusy(true)
    setError(null)
    try {
      onChanged((await work()).postmortem)
      return true
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work; nothing changed.')
      return false
    } finally {
      setBusy(false)
    }
  }

  async function cite(event: FormEvent) {
    event.preventDefault()
    if (await run(() => callApi(`/api/postmortems/${pm.number}/cases`, { method: 'POST', body: JSON.stringify({ caseNumber: value.trim() }) }))) setValue('')
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Traced cases</h2>
      {pm.cases.length === 0 ? <p className="muted small">No traced case cited. Pin a trace of this failure as a case, then cite it here.</p> : null}
      <ul className="case-incidents" data-testid="cited-cases">
        {pm.cases.map((c) => (
          <li key={c.number}>
            <Link className="incident-link" href={`/cases/${c.number}`}>CASE-{c.number}</Link> {c.title} <span className="chip">{c.categoryTitle}</span>
            {canEdit ? <button type="button" disabled={isBusy} onClick={() => void run(() => callApi(`/api/postmortems/${pm.number}/cases/${c.number}`, { method: 'DELETE' }))} aria-label={`Stop citing CASE-${c.number}`}>Remove</button> : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form className="form-row" onSubmit={cite}>
          <label>
            Cite a case
            <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="7 or CASE-7" size={12} required />
          </label>
          <button type="submit" disabled={isBusy || !value.trim()}>Cite</button>
        </form>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </section>
  )
}
