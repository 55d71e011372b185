/**
 * The postmortem as it starts: a summary, the incident's timeline (pinned milestones), and first drafts of the sections
 * the facts can answer (impact, detection, root cause, resolution). People rewrite them; publishing requires that
 * the required sections are more than this starting text (lifecycle.ts).
 */
import { formatDuration } from '@/lib/incidents/durations'
import type { PostmortemFacts } from './facts'
import { CAUSE_AREAS } from './template'
import { MAX_TIMELINE_ENTRIES, postmortemContentSchema, type PostmortemContent, type TimelineEvent } from './schemas'

/** Incident timeline kinds that are milestones of the story, pinned when copied. */
export const PINNED_KINDS: ReadonlySet<string> = new Set(['declared', 'opened', 'status', 'severity', 'classification'])

export interface IncidentTimelineRow {
  id: bigint | string
  at: Date
  kind: string
  actorName: string | null
  body: string
}

/**
 * The incident's timeline as the postmortem's first draft. It always fits the content schema (at most
 * MAX_TIMELINE_ENTRIES events, none blank): a noisy incident keeps its milestones and its earliest events.
 */
export function timelineFromIncident(rows: IncidentTimelineRow[], startedAt: Date): TimelineEvent[] {
  const events: TimelineEvent[] = rows.map((row) => {
    const body = row.body.trim()
    const text = row.actorName && body && !body.includes(row.actorName) ? `${body} (${row.actorName})` : body
    return { id: `inc-${row.id.toString()}`, at: row.at.toISOString(), text: text.slice(0, 2_000).trim() || row.kind.slice(0, 2_000), kind: row.kind.slice(0, 40), pinned: PINNED_KINDS.has(row.kind) }
  })
  // impact usually starts before anyone knew (the first alert's startsAt): that moment leads the story
  const first = events.length ? Math.min(...events.map((e) => Date.parse(e.at))) : Infinity
  if (startedAt.getTime() < first) events.unshift({ id: 'impact-start', at: startedAt.toISOString(), text: 'Impact began (the earliest alert started, or the incident was declared)', kind: 'milestone', pinned: true })
  const sorted = sortTimeline(events)
  if (sorted.length <= MAX_TIMELINE_ENTRIES) return sorted
  const pinned = sorted.filter((e) => e.pinned).slice(0, MAX_TIMELINE_ENTRIES)
  const rest = sorted.filter((e) => !e.pinned).slice(0, MAX_TIMELINE_ENTRIES - pinned.length)
  return sortTimeline([...pinned, ...rest])
}

export function sortTimeline(events: TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id))
}

/** "12.3 % of the 28-day budget": consumed is the share of the whole period's error budget. */
export function formatBudget(consumed: number | null): string {
  if (consumed === null) return 'not measured'
  const percent = consumed * 100
  if (percent > 0 && percent < 0.01) return '< 0.01 %'
  return `${percent >= 10 ? percent.toFixed(0) : percent >= 1 ? percent.toFixed(1) : percent.toFixed(2)} %`
}

function incidentLine(facts: PostmortemFacts): string {
  const i = facts.incident
  const where = i.pipeline ? ` on ${i.pipeline}` : ''
  const models = i.models.length ? ` (${i.models.join(', ')})` : ''
  return `INC-${i.number} (${i.severity})${where}${models}: ${i.title}.`
}

export function summaryDraft(facts: PostmortemFacts): string {
  const d = facts.incident.durations
  const lines = [incidentLine(facts)]
  lines.push(
    `Impact lasted ${formatDuration(d.toResolveMs ?? d.toMitigateMs ?? d.openForMs)}; detected after ${formatDuration(d.toDetectMs)}, mitigated after ${formatDuration(d.toMitigateMs)}, resolved after ${formatDuration(d.toResolveMs)}.`,
  )
  if (facts.classification?.failureClassTitle) lines.push(`Classified as ${facts.classification.failureClassTitle} (${facts.classification.pathway ?? 'pathway unknown'}).`)
  return lines.join(' ')
}

function impactDraft(facts: PostmortemFacts): string {
  const lines: string[] = []
  const impact = facts.sloImpact
  if (impact.status === 'measured') {
    lines.push('Error budget consumed during the incident window:')
    for (const slo of impact.slos) lines.push(`- ${slo.slo}: ${formatBudget(slo.consumed)} of its period's budget${slo.errorRatio !== null ? ` (error ratio ${(slo.errorRatio * 100).toFixed(2)} %)` : ''}`)
  } else if (impact.status === 'unavailable') lines.push(`Error budget consumed: not measured yet. ${impact.reason} Refresh the facts once the metrics backend answers.`)
  else lines.push(`Error budget consumed: none charged. ${impact.reason ?? ''}`.trim())
  lines.push('', 'Users and requests affected: ', 'Money (credits, refunds, GPU hours) where known: ')
  return lines.join('\n').trim() + '\n'
}

function detectionDraft(facts: PostmortemFacts): string {
  const d = facts.incident.durations
  const names = [...new Set(facts.alerts.shown.map((a) => a.alertname))]
  const how = names.length ? `Alerts: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.` : 'No alert: the incident was declared by hand.'
  const acknowledged = d.toAcknowledgeMs === null ? 'never acknowledged' : `acknowledged ${formatDuration(d.toAcknowledgeMs)} after detection`
  return `${how}\nDetected ${formatDuration(d.toDetectMs)} after impact began; ${acknowledged}.\n\nWhat would have shown it sooner: \n`
}

function rootCauseDraft(facts: PostmortemFacts): string {
  const c = facts.classification
  if (!c?.failureClassTitle) return ''
  const held = c.steps.flatMap((s) => s.evidence.filter((e) => e.status === 'holds').map((e) => e.title))
  const evidence = held.length ? `\nEvidence at classification: ${[...new Set(held)].slice(0, 6).join('; ')}.` : ''
  return `Classified as **${c.failureClassTitle}** (${c.errorState ?? 'error state unknown'}, ${c.pathway ?? 'pathway unknown'}).${evidence}\n\nWhy the system allowed it: \n`
}

function resolutionDraft(facts: PostmortemFacts): string {
  if (facts.runbooks.length === 0) return ''
  const lines = ['Runbooks worked:']
  for (const r of facts.runbooks) lines.push(`- ${r.title}: ${r.done} of ${r.total} steps done`)
  return lines.join('\n') + '\n'
}

export function prefillContent(facts: PostmortemFacts, timeline: TimelineEvent[]): PostmortemContent {
  return postmortemContentSchema.parse({
    summary: summaryDraft(facts),
    sections: {
      impact: impactDraft(facts),
      detection: detectionDraft(facts),
      'root-cause': rootCauseDraft(facts),
      resolution: resolutionDraft(facts),
    },
    // the wizard's pathway is a first guess at the area; integration and security have no area of their own
    causeAreas: (CAUSE_AREAS as readonly string[]).includes(facts.classification?.pathway ?? '') ? [facts.classification!.pathway] : [],
    factors: [],
    timeline,
  })
}
