/**
 * The weekly review as markdown, for a wiki page or the meeting notes. Text typed by people (incident titles, owners,
 * action items) is escaped so it cannot become markup; links are relative to the console, or absolute with `baseUrl`.
 */
import { countDelta, formatDuration, percentText, pointsDelta, utcMinute } from './format'
import { TTX_KEYS, TTX_LABELS } from './stats'
import type { BreakdownRow, WeeklyReview } from './types'

/** Escapes markdown and HTML syntax in one line of text (newlines become spaces). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&"]/g, (c) => `\\${c}`)
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
}

function breakdownTable(title: string, rows: BreakdownRow[]): string[] {
  if (rows.length === 0) return []
  return [`### ${title}`, '', ...table([title.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase()), 'Incidents', 'Previous period'], rows.map((r) => [escapeMarkdown(r.label), String(r.count), `${r.previousCount} (${countDelta(r.count, r.previousCount)})`])), '']
}

export function reviewMarkdown(review: WeeklyReview, baseUrl = ''): string {
  const link = (path: string) => `${baseUrl}${path}`
  const { period } = review
  const lines: string[] = [
    `# Weekly SLO review: ${escapeMarkdown(period.label)}`,
    '',
    `Period: ${utcMinute(period.start)} to ${utcMinute(period.end)}${period.asOf < period.end ? ` (numbers as of ${utcMinute(period.asOf)})` : ''}. Compared with ${utcMinute(period.previous.start)} to ${utcMinute(period.previous.end)}.`,
    '',
    `Live page: ${link(`/review?${period.search}`)}`,
    '',
  ]
  if (review.telemetry.problem) {
    const down = review.telemetry.problem.down
    lines.push(`> **SLO numbers unavailable:** ${down ? `${escapeMarkdown(down.backend)} has not answered since ${utcMinute(down.downSince)}: ` : ''}${escapeMarkdown(review.telemetry.problem.message)}`, '')
  }
  if (review.telemetry.isDemo) lines.push('> Demo data: these SLO numbers come from built-in scenarios, not a real Prometheus.', '')

  lines.push('## SLOs', '')
  if (review.slos.length === 0) lines.push('No SLOs are defined.', '')
  else {
    lines.push(
      ...table(
        ['SLO', 'Service', 'Objective', 'Compliance', 'vs previous', 'Budget consumed', 'Budget remaining'],
        review.slos.map((s) => [
          `[${escapeMarkdown(s.displayName)}](${link(`/slos/${s.name}`)})`,
          escapeMarkdown(s.service),
          percentText(s.objective, 3),
          `${percentText(s.compliance, 3)}${s.compliance === null ? '' : s.compliance >= s.objective ? ' (met)' : ' (missed)'}`,
          pointsDelta(s.compliance, s.previousCompliance, 3),
          `${percentText(s.consumed, 1)} (previous ${percentText(s.previousConsumed, 1)})`,
          `${percentText(s.budgetRemaining, 1)} (previous ${percentText(s.previousBudgetRemaining, 1)})`,
        ]),
      ),
      '',
    )
    for (const s of review.slos) {
      if (s.error) lines.push(`- ${escapeMarkdown(s.displayName)}: ${escapeMarkdown(s.error)}`)
    }
    if (review.slos.some((s) => s.error)) lines.push('')
    const burned = review.slos.filter((s) => s.incidents.length > 0)
    if (burned.length > 0) {
      lines.push('### Budget burned by incidents', '')
      lines.push(
        ...table(
          ['SLO', 'Incident', 'Severity', 'Window in period', 'Budget consumed'],
          burned.flatMap((s) =>
            s.incidents.map((i) => [
              escapeMarkdown(s.displayName),
              `[INC-${i.number}](${link(`/incidents/${i.number}`)}) ${escapeMarkdown(i.title)}`,
              i.severity,
              `${utcMinute(i.start)} to ${utcMinute(i.end)}`,
              i.consumed === null ? `— (${escapeMarkdown(i.error ?? 'unknown')})` : percentText(i.consumed, 2),
            ]),
          ),
        ),
        '',
      )
    }
  }

  const { incidents } = review
  lines.push('## Incidents', '', `${incidents.count} incident${incidents.count === 1 ? '' : 's'} started in the period (previous period: ${incidents.previousCount}, ${countDelta(incidents.count, incidents.previousCount)}).`, '')
  if (incidents.list.length > 0) {
    lines.push(
      ...table(
        ['Incident', 'Severity', 'Status', 'Pipeline', 'Failure class', 'Postmortem'],
        incidents.list.map((i) => [
          `[INC-${i.number}](${link(`/incidents/${i.number}`)}) ${escapeMarkdown(i.title)}`,
          i.severity,
          i.status,
          escapeMarkdown(i.pipeline ?? '—'),
          escapeMarkdown(i.failureClassTitle ?? 'unclassified'),
          i.postmortem ? `[PM-${i.postmortem.number}](${link(`/postmortems/${i.postmortem.number}`)}) (${i.postmortem.status})` : '—',
        ]),
      ),
      '',
    )
  }
  lines.push(...breakdownTable('By failure class', incidents.byFailureClass), ...breakdownTable('By pathway', incidents.byPathway), ...breakdownTable('By error state', incidents.byErrorState))
  lines.push(
    '### Response times',
    '',
    ...table(
      ['', 'Incidents', 'Median', 'p90', 'Mean', 'Previous median'],
      TTX_KEYS.map((k) => [TTX_LABELS[k], String(incidents.ttx[k].count), formatDuration(incidents.ttx[k].medianMs), formatDuration(incidents.ttx[k].p90Ms), formatDuration(incidents.ttx[k].meanMs), formatDuration(incidents.previousTtx[k].medianMs)]),
    ),
    '',
  )

  const items = review.actionItems
  lines.push(
    '## Action items',
    '',
    `Opened ${items.opened} (previous ${items.previousOpened}), closed ${items.closed} (previous ${items.previousClosed}), overdue at the end of the period ${items.overdueAtEnd} (previous ${items.previousOverdueAtEnd}). Overdue today: ${items.overdueNow}.`,
    '',
  )
  if (items.open.length > 0) {
    lines.push(
      ...table(
        ['Action item', 'Owner', 'Due', 'Status', 'Priority', 'From'],
        items.open.map((i) => [
          `AI-${i.number} ${escapeMarkdown(i.title)}${i.isOverdue ? ' **(overdue)**' : ''}`,
          escapeMarkdown(i.ownerName ?? '—'),
          i.dueDate ?? '—',
          i.status.replace('_', ' '),
          i.priority.toUpperCase(),
          `[PM-${i.postmortemNumber}](${link(`/postmortems/${i.postmortemNumber}`)}), [INC-${i.incidentNumber}](${link(`/incidents/${i.incidentNumber}`)})`,
        ]),
      ),
      '',
    )
  } else lines.push('No open action items.', '')

  lines.push('## Postmortems due', '')
  if (review.postmortemsDue.length === 0) lines.push('None: every SEV1 and SEV2 incident resolved in the period has a published postmortem.', '')
  else {
    for (const d of review.postmortemsDue) {
      lines.push(`- [INC-${d.incidentNumber}](${link(`/incidents/${d.incidentNumber}`)}) ${escapeMarkdown(d.title)} (${d.severity}, resolved ${utcMinute(d.resolvedAt)}): ${d.postmortem ? `[PM-${d.postmortem.number}](${link(`/postmortems/${d.postmortem.number}`)}) is ${d.postmortem.status.replace('_', ' ')}` : 'no postmortem yet'}`)
    }
    lines.push('')
  }
  lines.push(`_Generated by Firebreak at ${utcMinute(review.generatedAt)}._`, '')
  return lines.join('\n')
}
