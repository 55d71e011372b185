/**
 * The markdown export: every section (written or not, so a reader sees what is missing), the facts, the timeline,
 * the cited cases and the action items, with absolute-path links back into Firebreak (/incidents/42, /cases/7) that
 * work when the file is pasted into a wiki on the same host.
 */
import { formatEvidence } from '@/lib/classify/format'
import { formatDuration } from '@/lib/incidents/durations'
import { ACTION_STATUS_LABELS, PRIORITY_LABELS } from './action-items'
import type { PostmortemFacts } from './facts'
import { STATUS_LABELS } from './lifecycle'
import { formatBudget, sortTimeline } from './prefill'
import { CAUSE_AREA_LABELS, SECTIONS } from './template'
import { actionItemRef, postmortemRef, type PostmortemView } from './views'

/** One line of text in a heading or a table cell: no line breaks, pipes escaped. */
export function inline(text: string): string {
  return text.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').trim()
}

/** "2026-11-22 04:30 UTC": the export is read in many time zones, so it states UTC. */
export function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—'
}

const incidentLink = (base: string, n: number) => `[INC-${n}](${base}/incidents/${n})`
const caseLink = (base: string, n: number) => `[CASE-${n}](${base}/cases/${n})`

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}

function factsMarkdown(facts: PostmortemFacts | null, base: string): string[] {
  if (!facts) return ['## Facts', '', '_The facts of this postmortem are in an older format and cannot be shown; refresh them in Firebreak._', '']
  const i = facts.incident
  const d = i.durations
  const out = ['## Facts', '', `_Captured by Firebreak at ${utc(facts.capturedAt)}._`, '']
  out.push(
    table(
      ['Fact', 'Value'],
      [
        ['Incident', `${incidentLink(base, i.number)} ${inline(i.title)}`],
        ['Severity', i.severity],
        ['Pipeline', inline(i.pipeline ?? '—')],
        ['Models', inline(i.models.join(', ') || '—')],
        ['Commander', inline(i.commander ?? '—')],
        ['Impact started', utc(i.startedAt)],
        ['Detected', `${utc(i.detectedAt)} (after ${formatDuration(d.toDetectMs)})`],
        ['Acknowledged', `${utc(i.acknowledgedAt)} (after ${formatDuration(d.toAcknowledgeMs)})`],
        ['Mitigated', `${utc(i.mitigatedAt)} (after ${formatDuration(d.toMitigateMs)})`],
        ['Resolved', `${utc(i.resolvedAt)} (after ${formatDuration(d.toResolveMs)})`],
      ],
    ),
    '',
  )

  out.push('### SLO impact', '')
  const impact = facts.sloImpact
  out.push(`Window: ${utc(impact.window.start)} to ${utc(impact.window.end)}${impact.source ? `, measured from ${inline(impact.source)}` : ''}.`, '')
  if (impact.status !== 'measured') out.push(`_${inline(impact.reason ?? 'Not measured.')}_`, '')
  if (impact.slos.length) {
    out.push(
      table(
        ['SLO', 'Objective', 'Error budget consumed', 'Error ratio'],
        impact.slos.map((s) => [`[${inline(s.slo)}](${base}/slos/${encodeURIComponent(s.slo)})`, `${(s.objective * 100).toFixed(2).replace(/\.?0+$/, '')} %`, s.consumed === null ? `not measured${s.error ? `: ${inline(s.error)}` : ''}` : formatBudget(s.consumed), s.errorRatio === null ? '—' : `${(s.errorRatio * 100).toFixed(3)} %`]),
      ),
      '',
    )
  }

  out.push('### Classification', '')
  const c = facts.classification
  if (!c) out.push('_The incident was not classified._', '')
  else {
    out.push(`${c.failureClassTitle ? `**${inline(c.failureClassTitle)}**` : 'Failure class unknown'}; error state ${c.errorState ?? 'unknown'}, pathway ${c.pathway ?? 'unknown'}. Decided by ${inline(c.decidedByName)} at ${utc(c.decidedAt)} (revision ${c.revision}).`, '')
    const evidence = c.steps.flatMap((s) => s.evidence.map((e) => [s.step, inline(e.title), e.status, formatEvidence(e.value, e.unit), `${e.comparison} ${formatEvidence(e.threshold, e.unit)}`]))
    if (evidence.length) out.push(table(['Step', 'Evidence', 'Status', 'Value', 'Rule'], evidence), '')
  }

  out.push('### Runbooks and checklist progress', '')
  if (facts.runbooks.length === 0) out.push('_No runbook checklist was worked during the incident._', '')
  for (const r of facts.runbooks) {
    out.push(`- [${inline(r.title)}](${base}/runbooks/${encodeURIComponent(r.id)}): ${r.done} of ${r.total} steps done`)
    for (const step of r.steps) out.push(`  - [${step.checked ? 'x' : ' '}] ${inline(step.text)} (${inline(step.byName)}, ${utc(step.at)})`)
  }
  if (facts.runbooks.length) out.push('')

  out.push('### Alerts', '')
  if (facts.alerts.total === 0) out.push('_No alerts: the incident was declared by hand._', '')
  else {
    out.push(`${facts.alerts.total} alert${facts.alerts.total === 1 ? '' : 's'}${facts.alerts.shown.length < facts.alerts.total ? ` (the ${facts.alerts.shown.length} newest below)` : ''}.`, '')
    out.push(table(['Alert', 'Severity', 'Status', 'Started', 'Ended', 'Summary'], facts.alerts.shown.map((a) => [inline(a.alertname), inline(a.severity ?? '—'), a.status, utc(a.startsAt), utc(a.endsAt), inline(a.summary ?? '')])), '')
  }
  return out
}

/** `baseUrl` (e.g. https://firebreak.example.com) makes the links absolute, so they work wherever the file is pasted. */
export function postmortemToMarkdown(pm: PostmortemView, options: { exportedAt: Date; baseUrl?: string }): string {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '')
  const out: string[] = [`# ${postmortemRef(pm.number)}: ${inline(pm.title)}`, '']
  out.push(
    `> Blameless postmortem of ${incidentLink(base, pm.incident.number)} (${inline(pm.incident.title)}) · status: ${STATUS_LABELS[pm.status]}${pm.publishedAt ? ` · published ${utc(pm.publishedAt)}` : ''} · version ${pm.version} · started by ${inline(pm.createdByName)} · exported ${utc(options.exportedAt.toISOString())} · [open in Firebreak](${base}/postmortems/${pm.number})`,
    '',
  )
  out.push('## Summary', '', pm.content.summary.trim() || '_Not written._', '')
  out.push(...factsMarkdown(pm.facts, base))

  out.push('## Timeline', '')
  const timeline = sortTimeline(pm.content.timeline)
  const pinned = timeline.filter((e) => e.pinned)
  if (pinned.length) {
    out.push('### Key events', '')
    for (const e of pinned) out.push(`- **${utc(e.at)}**: ${inline(e.text)}`)
    out.push('')
  }
  if (timeline.length) {
    out.push('### All events', '')
    out.push(table(['Time', 'Kind', 'Event'], timeline.map((e) => [utc(e.at), `${inline(e.kind)}${e.pinned ? ' (pinned)' : ''}`, inline(e.text)])), '')
  } else out.push('_No events._', '')

  for (const section of SECTIONS) {
    out.push(`## ${section.title}`, '')
    if (section.key === 'root-cause') {
      out.push(`Where: ${pm.content.causeAreas.length ? pm.content.causeAreas.map((a) => CAUSE_AREA_LABELS[a]).join(', ') : '_not named yet_'}`, '')
    }
    out.push(pm.content.sections[section.key].trim() || '_Not written._', '')
    if (section.key === 'root-cause') {
      out.push('### Contributing factors', '')
      if (pm.content.factors.length === 0) out.push('_None listed._')
      for (const f of pm.content.factors) out.push(`- **${CAUSE_AREA_LABELS[f.area]}**: ${inline(f.text)}`)
      out.push('')
    }
  }

  out.push('## Traced cases', '')
  if (pm.cases.length === 0) out.push('_No traced case is cited._')
  for (const c of pm.cases) out.push(`- ${caseLink(base, c.number)}: ${inline(c.title)} (${inline(c.categoryTitle)}), trace \`${c.traceId}\``)
  out.push('')

  out.push('## Action items', '')
  if (pm.actionItems.length === 0) out.push('_None._')
  else {
    out.push(
      table(
        ['Item', 'Action', 'Owner', 'Due', 'Priority', 'Status'],
        pm.actionItems.map((a) => [actionItemRef(a.number), inline(a.title), inline(a.ownerName ?? 'unassigned'), `${a.dueDate ?? '—'}${a.isOverdue ? ' (overdue)' : ''}`, PRIORITY_LABELS[a.priority], ACTION_STATUS_LABELS[a.status]]),
      ),
    )
  }
  out.push('')
  return out.join('\n')
}

export function exportFileName(number: number): string {
  return `${postmortemRef(number)}.md`
}
