'use client'
import { useRouter } from 'next/navigation'
import { useState } from 'react'

/** Opens a runbook in this incident's context: its checklist is tracked here and its charts cover this incident. */
export function RunbookLinks({ number, runbooks, initial = 'triage' }: { number: number; runbooks: { id: string; title: string }[]; initial?: string }) {
  const router = useRouter()
  const [choice, setChoice] = useState(initial)
  return (
    <section className="panel runbook-links" aria-labelledby="runbook-heading">
      <h2 id="runbook-heading" style={{ margin: 0, fontSize: '1rem' }}>Runbook</h2>
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault()
          router.push(`/runbooks/${choice}?incident=${number}`)
        }}
      >
        <label style={{ flex: '1 1 360px' }}>
          Work a runbook for INC-{number} <span className="muted" style={{ fontWeight: 400 }}>(class unknown yet? start with triage)</span>
          <select value={choice} onChange={(e) => setChoice(e.target.value)}>
            {runbooks.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
          </select>
        </label>
        <button type="submit" className="primary">Open runbook</button>
      </form>
    </section>
  )
}
