import type { IncidentSummary } from './types'

const SEVERITY_CLASS: Record<IncidentSummary['severity'], string> = { SEV1: 'sev1', SEV2: 'sev2', SEV3: 'sev3', SEV4: 'sev4' }

export function SeverityBadge({ severity }: { severity: IncidentSummary['severity'] }) {
  return <span className={`sev ${SEVERITY_CLASS[severity]}`}>{severity}</span>
}

export function StatusBadge({ status }: { status: IncidentSummary['status'] }) {
  return <span className={`status status-${status}`}>{status}</span>
}
