import { describe, expect, it } from 'vitest'
import { availableActions, checkTransition, isReadyForPostmortem, isSectionWritten, publishBlockers } from './lifecycle'
import { postmortemContentSchema } from './schemas'

const content = (sections: Record<string, string>, causeAreas: string[] = []) => postmortemContentSchema.parse({ sections, causeAreas })

describe('postmortem status transitions', () => {
  it('goes draft → in review → published, and back to draft only from review', () => {
    expect(checkTransition('draft', 'submit')).toEqual({ ok: true, to: 'in_review' })
    expect(checkTransition('in_review', 'publish')).toEqual({ ok: true, to: 'published' })
    expect(checkTransition('in_review', 'return')).toEqual({ ok: true, to: 'draft' })
  })

  it('refuses to publish a draft, to return a draft, and any move out of published', () => {
    expect(checkTransition('draft', 'publish')).toMatchObject({ ok: false, reason: 'The postmortem is draft; it must be in review to publish.' })
    expect(checkTransition('draft', 'return').ok).toBe(false)
    for (const action of ['submit', 'return', 'publish'] as const) expect(checkTransition('published', action).ok).toBe(false)
    expect(availableActions('published')).toEqual([])
    expect(availableActions('in_review').sort()).toEqual(['publish', 'return'])
  })
})

describe('starting a postmortem', () => {
  it('is open once the incident is mitigated or resolved, not while it is still being worked', () => {
    expect(['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved'].filter(isReadyForPostmortem)).toEqual(['mitigated', 'resolved'])
  })
})

describe('what counts as written', () => {
  it('is neither blank nor the generated draft (whitespace differences do not count)', () => {
    expect(isSectionWritten('', 'draft')).toBe(false)
    expect(isSectionWritten('  \n ', undefined)).toBe(false)
    expect(isSectionWritten('Runbooks worked:\n- triage: 2 of 5 steps done\n', 'Runbooks worked:\n- triage:  2 of 5 steps done')).toBe(false)
    expect(isSectionWritten('Runbooks worked:\n- triage: 2 of 5 steps done\nRolled back the router config.', 'Runbooks worked:\n- triage: 2 of 5 steps done')).toBe(true)
  })

  it('blocks publishing until impact, detection, root cause and resolution are written and an area is named', () => {
    const generated = content({ impact: 'Error budget consumed: not measured yet', resolution: 'Runbooks worked:' })
    const blockers = publishBlockers(generated, generated)
    expect(blockers).toHaveLength(5)
    expect(blockers.join(' ')).toMatch(/Impact.*Detection.*Root cause.*Resolution.*model, data, infrastructure or configuration/)

    const written = content(
      { impact: '3 % of chat answers cut off for 40 min', detection: 'Found by a user report after 25 min', 'root-cause': 'max_tokens 512 after the prompt change', resolution: 'Raised max_tokens to 1024' },
      ['configuration'],
    )
    expect(publishBlockers(written, generated)).toEqual([])
  })
})
