import { describe, expect, it } from 'vitest'
import { buildFacts } from './facts'
import { inline, postmortemToMarkdown } from './markdown'
import { prefillContent, timelineFromIncident } from './prefill'
import { SECTIONS } from './template'
import { TOKEN_BUDGET_TIMELINE, tokenBudgetIncident } from './test-scenario'
import type { PostmortemView } from './views'

function scenarioPostmortem(): PostmortemView {
  const facts = buildFacts(tokenBudgetIncident())
  const content = prefillContent(facts, timelineFromIncident(TOKEN_BUDGET_TIMELINE, new Date('2026-11-20T09:00:00.000Z')))
  content.sections.trigger = 'The refund prompt grew by 400 tokens in release 2026.11.3.'
  content.factors = [{ area: 'configuration', text: 'max_tokens was set per route | not per answer class' }]
  content.causeAreas = ['model', 'configuration']
  return {
    id: 'pm1',
    number: 12,
    title: 'Answers cut off\nby max_tokens',
    status: 'published',
    version: 4,
    content,
    facts,
    incident: { number: 42, title: 'rag-chat answers cut off mid-sentence', severity: 'SEV2', status: 'resolved' },
    cases: [{ number: 7, title: 'Refund answer stops mid-sentence', category: 'token-budget-exhaustion', categoryTitle: 'Token-budget exhaustion (finish_reason = length)', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', linkedAt: '2026-11-20T10:00:00.000Z' }],
    actionItems: [
      { id: 'a', number: 3, postmortem: { number: 12, title: 'x', status: 'published' }, title: 'Alert on length-terminated share per route', ownerId: 'u1', ownerName: 'Eli Editor', dueDate: '2026-11-21', status: 'open', priority: 'p1', closedAt: null, createdAt: '', updatedAt: '', isOverdue: true },
    ],
    createdByName: 'Rae Responder',
    createdAt: '2026-11-20T11:00:00.000Z',
    updatedAt: '2026-11-21T11:00:00.000Z',
    reviewRequestedAt: null,
    publishedAt: '2026-11-21T11:00:00.000Z',
    lastEditorName: 'Rae Responder',
    publishBlockers: [],
  }
}

describe('the markdown export', () => {
  const markdown = postmortemToMarkdown(scenarioPostmortem(), { exportedAt: new Date('2026-11-22T08:00:00.000Z') })

  it('has every section of the template, written or not', () => {
    for (const section of SECTIONS) expect(markdown).toContain(`\n## ${section.title}\n`)
    expect(markdown).toContain('## What went well\n\n_Not written._')
    expect(markdown).toContain('## Trigger\n\nThe refund prompt grew by 400 tokens in release 2026.11.3.')
    expect(markdown).toContain('Where: Model, Configuration')
  })

  it('links back to the incident, the cases, the runbook, the SLO and itself with absolute paths', () => {
    expect(markdown).toContain('[INC-42](/incidents/42)')
    expect(markdown).toContain('[CASE-7](/cases/7): Refund answer stops mid-sentence')
    expect(markdown).toContain('[Token-budget exhaustion (finish_reason = length)](/runbooks/token-budget-exhaustion): 2 of 5 steps done')
    expect(markdown).toContain('[rag-chat-answer-complete](/slos/rag-chat-answer-complete)')
    expect(markdown).toContain('[open in Firebreak](/postmortems/12)')
    expect(markdown).not.toMatch(/\]\((?!\/)[^)]*\)/)
  })

  it('with the app’s address, every link is absolute, so the file works pasted into a chat or a doc', () => {
    const pasted = postmortemToMarkdown(scenarioPostmortem(), { exportedAt: new Date('2026-11-22T08:00:00.000Z'), baseUrl: 'https://firebreak.example.com/' })
    expect(pasted).toContain('[INC-42](https://firebreak.example.com/incidents/42)')
    expect(pasted).toContain('[CASE-7](https://firebreak.example.com/cases/7)')
    expect(pasted).toContain('(https://firebreak.example.com/slos/rag-chat-answer-complete)')
    expect(pasted).toContain('[open in Firebreak](https://firebreak.example.com/postmortems/12)')
    expect(pasted).not.toMatch(/\]\(\//)
  })

  it('carries the facts, the pinned events first, and the action items with overdue marked', () => {
    expect(markdown).toMatch(/^# PM-12: Answers cut off by max_tokens\n/)
    expect(markdown).toContain('| Detected | 2026-11-20 09:04 UTC (after 4m) |')
    expect(markdown).toContain('| [rag-chat-answer-complete](/slos/rag-chat-answer-complete) | 99.5 % | 18 % | 3.330 % |')
    expect(markdown).toContain('### Key events\n\n- **2026-11-20 09:00 UTC**: Impact began')
    expect(markdown.indexOf('### Key events')).toBeLessThan(markdown.indexOf('### All events'))
    expect(markdown).toContain('| AI-3 | Alert on length-terminated share per route | Eli Editor | 2026-11-21 (overdue) | P1 | open |')
    expect(markdown).toContain('- **Configuration**: max_tokens was set per route \\| not per answer class')
  })

  it('keeps table cells and headings on one line', () => {
    expect(inline('a | b\nc')).toBe('a \\| b c')
  })
})
