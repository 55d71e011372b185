'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useId, useState, type FormEvent } from 'react'
import { callApi } from '@/components/api-client'
import { caseRef, type CaseDetail, type LinkedIncident } from './types'

/** The incidents this case is linked to; responders link and unlink them (the incident's timeline records both). */
export function CaseIncidents({ number, incidents, canWrite }: { number: number; incidents: LinkedIncident[]; canWrite: boolean }) {
  const router = useRouter()
  const id = useId()
  const [links, setLinks] = useState(incidents)
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [isBusy, setBusy] = useState(false)

  async function run(work: () => Promise<{ case: CaseDetail }>) {
    setBusy(true)
    setError(null)
    try {
      const { case: updated } = await work()
      setLinks(updated.incidents)
      router.refresh()
      return true
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not work; nothing was changed.')
      return false
    } finally {
      setBusy(false)
    }
  }

  async function link(event: FormEvent) {
    event.preventDefault()
    const ok = await run(() => callApi(`/api/cases/${number}/incidents`, { method: 'POST', body: JSON.stringify({ incidentNumber: value.trim() }) }))
    if (ok) setValue('')
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Incidents</h2>
      {links.length === 0 ? <p className="muted small">{caseRef(number)} is not linked to an incident.</p> : null}
      <ul className="case-incidents">
        {links.map((incident) => (
          <li key={incident.number}>
            <Link className="incident-link" href={`/incidents/${incident.number}`}>INC-{incident.number}</Link> {incident.title}{' '}
            <span className={`status status-${incident.status}`}>{incident.status}</span>
            {canWrite ? (
              <button type="button" className="small" disabled={isBusy} onClick={() => void run(() => callApi(`/api/cases/${number}/incidents/${incident.number}`, { method: 'DELETE' }))} aria-label={`Unlink INC-${incident.number}`}>
                Unlink
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form className="form-row" onSubmit={link}>
          <label>
            Link an incident
            <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="42 or INC-42" inputMode="numeric" required size={12} />
          </label>
          <button type="submit" disabled={isBusy || !value.trim()}>Link</button>
        </form>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </section>
  )
}
