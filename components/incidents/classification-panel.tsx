'use client'
import Link from 'next/link'
import { Time } from '@/components/ui/time'
import { ERROR_STATE_LABELS, findFailureClass, TRIAGE_RUNBOOK_ID, type ErrorState } from '@/lib/taxonomy'
import type { IncidentSummary } from './types'

/** The incident's classification and the way into the wizard: "Classify" until it is classified, then "Revise". */
export function ClassificationPanel({ incident, canWrite }: { incident: IncidentSummary; canWrite: boolean }) {
  const cls = incident.failureClass ? findFailureClass(incident.failureClass) : null
  const classified = incident.classifiedAt !== null
  const runbook = incident.failureClass ?? TRIAGE_RUNBOOK_ID
  return (
    <section className="panel classification" aria-labelledby="classification-heading" data-testid="classification">
      <h2 id="classification-heading">Classification</h2>
      {classified ? (
        <div>
          <p>
            {incident.errorState ? <span className="chip">{ERROR_STATE_LABELS[incident.errorState as ErrorState]?.split(':')[0] ?? incident.errorState}</span> : <span className="chip">error state unknown</span>}{' '}
            → {incident.pathway ? <span className="chip">{incident.pathway}</span> : <span className="chip">pathway unknown</span>}{' '}
            → {cls ? <strong>{cls.title}</strong> : <strong>class unknown (triage)</strong>}
          </p>
          <p className="small muted">
            Decided <Time iso={incident.classifiedAt!} />; the evidence behind it is on the timeline.{' '}
            <Link href={`/runbooks/${runbook}?incident=${incident.number}`}>Open the {cls ? `${cls.id} runbook` : 'triage runbook'}</Link>
          </p>
        </div>
      ) : (
        <p className="muted">Not classified yet. The wizard walks you from error state to pathway to failure class, with the evidence for each answer.</p>
      )}
      <Link className={`button${classified ? '' : ' primary'}`} href={`/incidents/${incident.number}/classify`}>
        {classified ? (canWrite ? 'Revise classification' : 'See the evidence') : canWrite ? 'Classify' : 'See the evidence'}
      </Link>
    </section>
  )
}
