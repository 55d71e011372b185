/**
 * The facts: what Firebreak knew about the incident when the postmortem was started (or its facts last refreshed).
 * Built here from plain data, so the shape is tested without a database; stored as `postmortems.facts`.
 */
import type { RecordedStep } from '@/lib/classify/record'
import { incidentDurations, type IncidentDurations } from '@/lib/incidents/durations'
import type { BudgetImpact } from '@/lib/review/impact'
import { findFailureClass } from '@/lib/taxonomy'

export const FACTS_FORMAT = 1
/** alerts kept in the snapshot; the total is kept too, so a reader knows when the list is cut */
export const MAX_FACT_ALERTS = 50

export interface IncidentFacts {
  number: number
  title: string
  severity: string
  status: string
  pipeline: string | null
  models: string[]
  commander: string | null
  startedAt: string
  detectedAt: string
  acknowledgedAt: string | null
  mitigatedAt: string | null
  resolvedAt: string | null
  durations: IncidentDurations
}

export interface ClassificationFacts {
  revision: number
  errorState: string | null
  pathway: string | null
  failureClass: string | null
  failureClassTitle: string | null
  decidedByName: string
  decidedAt: string
  steps: RecordedStep[]
}

export interface RunbookFacts {
  id: string
  title: string
  done: number
  /** steps in the published runbook's checklist; the ticked steps when the runbook is gone */
  total: number
  steps: { text: string; checked: boolean; byName: string; at: string }[]
}

export interface AlertFacts {
  alertname: string
  status: string
  severity: string | null
  summary: string | null
  startsAt: string
  endsAt: string | null
}

export type SloImpactStatus = 'measured' | 'unavailable' | 'no-slos'

export interface SloImpactFacts {
  status: SloImpactStatus
  /** why the impact is not measured (backend down, no SLO for the pipeline): shown as is */
  reason: string | null
  /** the MetricsSource's name ("Prometheus", "Demo data") */
  source: string | null
  window: { start: string; end: string }
  slos: BudgetImpact[]
}

export interface PostmortemFacts {
  format: typeof FACTS_FORMAT
  capturedAt: string
  incident: IncidentFacts
  classification: ClassificationFacts | null
  runbooks: RunbookFacts[]
  alerts: { total: number; firing: number; shown: AlertFacts[] }
  sloImpact: SloImpactFacts
}

export interface FactsSource {
  capturedAt: Date
  incident: {
    number: number
    title: string
    severity: string
    status: string
    pipeline: string | null
    models: string[]
    commanderName: string | null
    startedAt: Date
    detectedAt: Date
    acknowledgedAt: Date | null
    mitigatedAt: Date | null
    resolvedAt: Date | null
  }
  classification: { revision: number; errorState: string | null; pathway: string | null; failureClass: string | null; decidedByName: string; decidedAt: Date; steps: unknown } | null
  /** ChecklistTick rows of the incident */
  ticks: { runbookId: string; itemKey: string; itemText: string; checked: boolean; byName: string; at: Date }[]
  /** the runbooks those ticks belong to, with the keys of their published checklist (null when unknown) */
  runbooks: { id: string; title: string; checklistKeys: string[] | null }[]
  alerts: { alertname: string; status: string; labels: unknown; annotations: unknown; startsAt: Date; endsAt: Date | null }[]
  alertTotal: number
  alertFiring: number
  sloImpact: SloImpactFacts
}

/** How the SLO impact reads: measured when at least one SLO has a figure, otherwise why not. */
export function summarizeImpact(input: { source: string | null; window: { start: Date; end: Date }; slos: BudgetImpact[]; reason?: string }): SloImpactFacts {
  const window = { start: input.window.start.toISOString(), end: input.window.end.toISOString() }
  if (input.reason) return { status: 'unavailable', reason: input.reason, source: input.source, window, slos: input.slos }
  if (input.slos.length === 0) return { status: 'no-slos', reason: 'No SLO measures this pipeline.', source: input.source, window, slos: [] }
  if (input.slos.every((s) => s.consumed === null)) {
    const reason = input.slos.find((s) => s.error)?.error ?? 'No SLI data for the incident window.'
    return { status: 'unavailable', reason, source: input.source, window, slos: input.slos }
  }
  return { status: 'measured', reason: null, source: input.source, window, slos: input.slos }
}

function text(record: unknown, key: string): string | null {
  if (!record || typeof record !== 'object') return null
  const value = (record as Record<string, unknown>)[key]
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, 500) : null
}

function steps(value: unknown): RecordedStep[] {
  return Array.isArray(value) ? (value.filter((s) => s && typeof s === 'object' && 'step' in s) as RecordedStep[]) : []
}

export function buildFacts(source: FactsSource): PostmortemFacts {
  const { incident } = source
  const runbookIds = [...new Set(source.ticks.map((t) => t.runbookId))]
  const runbooks: RunbookFacts[] = runbookIds.map((id) => {
    const runbook = source.runbooks.find((r) => r.id === id)
    const ticks = source.ticks.filter((t) => t.runbookId === id).sort((a, b) => a.at.getTime() - b.at.getTime())
    const keys = runbook?.checklistKeys
    // a tick whose step was edited out of the runbook since still counts as work done, but not toward the total
    const done = ticks.filter((t) => t.checked && (!keys || keys.includes(t.itemKey))).length
    return {
      id,
      title: runbook?.title ?? id,
      done,
      total: keys ? keys.length : ticks.length,
      steps: ticks.map((t) => ({ text: t.itemText, checked: t.checked, byName: t.byName, at: t.at.toISOString() })),
    }
  })
  const classification = source.classification
  return {
    format: FACTS_FORMAT,
    capturedAt: source.capturedAt.toISOString(),
    incident: {
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      pipeline: incident.pipeline,
      models: incident.models,
      commander: incident.commanderName,
      startedAt: incident.startedAt.toISOString(),
      detectedAt: incident.detectedAt.toISOString(),
      acknowledgedAt: incident.acknowledgedAt?.toISOString() ?? null,
      mitigatedAt: incident.mitigatedAt?.toISOString() ?? null,
      resolvedAt: incident.resolvedAt?.toISOString() ?? null,
      durations: incidentDurations(incident, source.capturedAt),
    },
    classification: classification
      ? {
          revision: classification.revision,
          errorState: classification.errorState,
          pathway: classification.pathway,
          failureClass: classification.failureClass,
          failureClassTitle: classification.failureClass ? (findFailureClass(classification.failureClass)?.title ?? classification.failureClass) : null,
          decidedByName: classification.decidedByName,
          decidedAt: classification.decidedAt.toISOString(),
          steps: steps(classification.steps),
        }
      : null,
    runbooks,
    alerts: {
      total: source.alertTotal,
      firing: source.alertFiring,
      shown: source.alerts.slice(0, MAX_FACT_ALERTS).map((a) => ({
        alertname: a.alertname,
        status: a.status,
        severity: text(a.labels, 'severity'),
        summary: text(a.annotations, 'summary') ?? text(a.annotations, 'description'),
        startsAt: a.startsAt.toISOString(),
        endsAt: a.endsAt?.toISOString() ?? null,
      })),
    },
    sloImpact: source.sloImpact,
  }
}

/** Reads stored facts back; facts from an older format (or hand-edited rows) come back as null, not as a crash. */
export function readFacts(value: unknown): PostmortemFacts | null {
  if (!value || typeof value !== 'object') return null
  const facts = value as Partial<PostmortemFacts>
  if (facts.format !== FACTS_FORMAT || !facts.incident || !facts.sloImpact || !facts.alerts || !Array.isArray(facts.runbooks)) return null
  return facts as PostmortemFacts
}
