import type { RecordedStep } from '@/lib/classify/record'
/** Incident data as the API returns it (dates as ISO strings). */
export interface PersonRef {
  id: string
  name: string
  email: string
}

export interface IncidentSummary {
  id: string
  number: number
  title: string
  severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4'
  status: 'triggered' | 'acknowledged' | 'investigating' | 'mitigated' | 'resolved'
  source: string
  groupKey: string | null
  pipeline: string | null
  models: string[]
  startedAt: string
  detectedAt: string
  acknowledgedAt: string | null
  mitigatedAt: string | null
  resolvedAt: string | null
  /** the current classification (lib/taxonomy ids), null until classified */
  errorState: string | null
  pathway: string | null
  failureClass: string | null
  classifiedAt: string | null
  truncatedAlerts: number
  updatedAt: string
  commander: PersonRef | null
  scribe: PersonRef | null
  firingAlerts?: number
}

export interface TimelineItem {
  id: string
  at: string
  kind: string
  actorName: string | null
  body: string
  data: { url?: string; runbook?: string; revision?: number; steps?: RecordedStep[] } | null
}

export interface AlertGroupSummary {
  alertname: string
  firing: number
  resolved: number
}

export interface IncidentDetail {
  incident: IncidentSummary
  alertGroups: AlertGroupSummary[]
  timeline: TimelineItem[]
}
