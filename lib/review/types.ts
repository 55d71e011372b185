/** The weekly review as the API sends it (dates as ISO strings), shared by the page, the print view and the export. */
import type { SloCharts } from '@/lib/slo/evaluate'
import type { BackendDown } from '@/lib/telemetry/backend-health'
import type { Weekday } from './period'
import type { DurationStats, TtxKey } from './stats'

export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4'

export interface ReviewIncidentCost {
  number: number
  title: string
  severity: Severity
  /** the part of the incident inside the period: [startedAt, resolvedAt or period end] clipped to the period */
  start: string
  end: string
  consumed: number | null
  errorRatio: number | null
  error?: string
}

export interface SloReview {
  name: string
  displayName: string
  service: string
  objective: number
  periodDays: number
  sliKind: 'ratio' | 'threshold'
  /** 1 - error ratio over the review period; null when it could not be read */
  compliance: number | null
  previousCompliance: number | null
  /** share of the SLO period's budget burned during the review period (0.12 = 12 %) */
  consumed: number | null
  previousConsumed: number | null
  /** budget left over the rolling SLO period ending at the review period's end (as the SLO page shows it then) */
  budgetRemaining: number | null
  previousBudgetRemaining: number | null
  charts: SloCharts | null
  /** incidents on the SLO's service that overlapped the period, with what each burned */
  incidents: ReviewIncidentCost[]
  usesRecordedSeries: boolean
  /** why numbers are missing, in words */
  error: string | null
}

export interface ReviewTelemetry {
  source: string | null
  isDemo: boolean
  problem: { message: string; down?: BackendDown } | null
}

export interface ReviewIncident {
  number: number
  title: string
  severity: Severity
  status: string
  pipeline: string | null
  startedAt: string
  resolvedAt: string | null
  errorState: string | null
  pathway: string | null
  failureClass: string | null
  /** the taxonomy's title of failureClass, for people */
  failureClassTitle: string | null
  postmortem: { number: number; status: string } | null
}

export interface BreakdownRow {
  /** the taxonomy id, or null for unclassified */
  id: string | null
  label: string
  count: number
  previousCount: number
}

export interface ActionItemRow {
  number: number
  title: string
  ownerName: string | null
  dueDate: string | null
  status: string
  priority: string
  isOverdue: boolean
  postmortemNumber: number
  incidentNumber: number
}

export interface PostmortemDue {
  incidentNumber: number
  title: string
  severity: Severity
  resolvedAt: string
  postmortem: { number: number; status: string } | null
}

export interface WeeklyReview {
  period: { start: string; end: string; asOf: string; label: string; week: string | null; weekStart: Weekday; search: string; previous: { start: string; end: string } }
  navigation: { previous: string; next: string | null; current: string }
  generatedAt: string
  telemetry: ReviewTelemetry
  slos: SloReview[]
  incidents: {
    list: ReviewIncident[]
    count: number
    previousCount: number
    byFailureClass: BreakdownRow[]
    byPathway: BreakdownRow[]
    byErrorState: BreakdownRow[]
    ttx: Record<TtxKey, DurationStats>
    previousTtx: Record<TtxKey, DurationStats>
  }
  actionItems: {
    opened: number
    previousOpened: number
    closed: number
    previousClosed: number
    /** overdue at the period's end (due before that day, still open then) */
    overdueAtEnd: number
    previousOverdueAtEnd: number
    /** open and in-progress items now, overdue first; overdue counts from today */
    open: ActionItemRow[]
    overdueNow: number
  }
  postmortemsDue: PostmortemDue[]
}
