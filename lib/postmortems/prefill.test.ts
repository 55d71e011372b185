import { describe, expect, it } from 'vitest'
import { buildFacts } from './facts'
import { formatBudget, prefillContent, summaryDraft, timelineFromIncident } from './prefill'
import { MAX_TIMELINE_ENTRIES, postmortemContentSchema } from './schemas'
import { SECTIONS } from './template'
import { TOKEN_BUDGET_TIMELINE, tokenBudgetIncident } from './test-scenario'

describe('the prefilled postmortem', () => {
  const facts = buildFacts(tokenBudgetIncident())
  const timeline = timelineFromIncident(TOKEN_BUDGET_TIMELINE, new Date('2026-11-20T09:00:00.000Z'))

  it('copies the incident timeline in order, pins the milestones, and starts it where impact began', () => {
    expect(timeline.map((e) => [e.id, e.kind, e.pinned])).toEqual([
      ['impact-start', 'milestone', true],
      ['inc-11', 'opened', true],
      ['inc-12', 'status', true],
      ['inc-13', 'note', false],
      ['inc-14', 'status', true],
    ])
    expect(timeline.find((e) => e.id === 'inc-13')?.text).toBe('Refund answers are the longest; they hit max_tokens first (Rae Responder)')
  })

  it('always fits the content schema: a noisy incident keeps its milestones within the event limit, a blank entry gets its kind', () => {
    const start = Date.parse('2026-11-20T09:00:00.000Z')
    const noisy = Array.from({ length: MAX_TIMELINE_ENTRIES + 1 }, (_, i) => ({ id: String(i + 1), at: new Date(start + (i + 1) * 1000), kind: i === MAX_TIMELINE_ENTRIES ? 'status' : 'alert.fired', actorName: null, body: i === 3 ? '   ' : `alert ${i}` }))
    const events = timelineFromIncident(noisy, new Date(start))
    expect(events).toHaveLength(MAX_TIMELINE_ENTRIES)
    expect(events[0].id).toBe('impact-start')
    expect(events.at(-1)).toMatchObject({ id: `inc-${MAX_TIMELINE_ENTRIES + 1}`, kind: 'status', pinned: true })
    expect(events.find((e) => e.id === 'inc-4')?.text).toBe('alert.fired')
    expect(postmortemContentSchema.safeParse({ sections: {}, timeline: events }).success).toBe(true)
  })

  it('does not invent a start event when the timeline already begins at the start', () => {
    expect(timelineFromIncident(TOKEN_BUDGET_TIMELINE, new Date('2026-11-20T09:04:00.000Z'))[0].id).toBe('inc-11')
  })

  it('drafts the summary and the sections the facts answer, and leaves the judgement sections to people', () => {
    const content = prefillContent(facts, timeline)
    expect(summaryDraft(facts)).toBe(
      'INC-42 (SEV2) on rag-chat (llama-3.1-70b-instruct): rag-chat answers cut off mid-sentence. Impact lasted 55m; detected after 4m, mitigated after 40m, resolved after 55m. Classified as Token-budget exhaustion (finish_reason = length) (model).',
    )
    expect(content.sections.impact).toContain('- rag-chat-answer-complete: 18 % of its period\'s budget (error ratio 3.33 %)')
    expect(content.sections.detection).toContain('Alerts: LengthTerminatedShareHigh.\nDetected 4m after impact began; acknowledged 2m after detection.')
    expect(content.sections['root-cause']).toContain('Evidence at classification: Length-terminated share of generations.')
    expect(content.sections['root-cause']).not.toContain('GPU framebuffer')
    expect(content.sections.resolution).toContain('- Token-budget exhaustion (finish_reason = length): 2 of 5 steps done')
    for (const key of ['trigger', 'went-well', 'went-wrong', 'got-lucky', 'lessons'] as const) expect(content.sections[key]).toBe('')
    expect(content.causeAreas).toEqual(['model'])
    expect(content.timeline).toEqual(timeline)
  })

  it('says why the impact is missing instead of a number when the backend was down', () => {
    const down = buildFacts(tokenBudgetIncident({ sloImpact: { status: 'unavailable', reason: 'Prometheus is unreachable.', source: 'Prometheus', window: { start: '', end: '' }, slos: [] } }))
    expect(prefillContent(down, []).sections.impact).toContain('not measured yet. Prometheus is unreachable. Refresh the facts')
  })

  it('formats budget shares with sensible precision', () => {
    expect([formatBudget(1.5), formatBudget(0.183), formatBudget(0.0123), formatBudget(0.000042), formatBudget(0), formatBudget(null)]).toEqual(['150 %', '18 %', '1.2 %', '< 0.01 %', '0.00 %', 'not measured'])
  })
})

describe('the blameless template', () => {
  it('asks about the system and its signals in every section, never who made the mistake', () => {
    for (const section of SECTIONS) {
      expect(section.prompt).not.toMatch(/\bwho (made|caused|broke|forgot)|\bfault\b|\bblame/i)
    }
    expect(SECTIONS.map((s) => s.key)).toEqual(['impact', 'detection', 'root-cause', 'trigger', 'resolution', 'went-well', 'went-wrong', 'got-lucky', 'lessons'])
    expect(SECTIONS.filter((s) => /signal|measure|telemetry|dashboards|evidence|safeguard/i.test(s.prompt)).length).toBeGreaterThanOrEqual(4)
  })
})
