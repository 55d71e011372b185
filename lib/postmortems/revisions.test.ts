import { describe, expect, it } from 'vitest'
import { againstSchema, changedParts, comparableParts, describeChanges, lineDiff, versionNumberSchema, type ComparableVersion } from './revisions'
import { postmortemContentSchema } from './schemas'

const version = (input: Record<string, unknown> = {}, title = 'Checkout latency after model rollout'): ComparableVersion => ({
  title,
  content: postmortemContentSchema.parse({ sections: {}, ...input }),
})

const event = (id: string, at: string, text: string, pinned = false) => ({ id, at, text, kind: 'note', pinned })

describe('the version in a link', () => {
  it('accepts 3 and v3, and refuses anything that is not a positive whole number', () => {
    expect(versionNumberSchema.parse('3')).toBe(3)
    expect(versionNumberSchema.parse('v12')).toBe(12)
    expect(versionNumberSchema.parse(' V7 ')).toBe(7)
    for (const bad of ['0', '-1', '1.5', '1e2', '0x10', 'abc', '', '99999999999', undefined]) {
      expect(versionNumberSchema.safeParse(bad).success, String(bad)).toBe(false)
    }
  })

  it('compares with the previous version unless ?against=current', () => {
    expect(againstSchema.parse('current')).toBe('current')
    expect(againstSchema.parse(['current', 'previous'])).toBe('current')
    expect(againstSchema.parse(undefined)).toBe('previous')
    expect(againstSchema.parse('<script>')).toBe('previous')
  })
})

describe('the parts of a version', () => {
  it('lists the document in reading order, contributing factors and cause areas right after the root cause', () => {
    const keys = comparableParts(version()).map((p) => p.key)
    expect(keys.slice(0, 3)).toEqual(['title', 'summary', 'timeline'])
    expect(keys.slice(keys.indexOf('root-cause'), keys.indexOf('root-cause') + 3)).toEqual(['root-cause', 'cause-areas', 'factors'])
    expect(keys.at(-1)).toBe('lessons')
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('writes the timeline one event a line, in time order, marking pinned events', () => {
    const v = version({ timeline: [event('b', '2026-11-22T05:00:00.000Z', 'rolled back'), event('a', '2026-11-22T04:30:00+00:00', 'alert fired', true)] })
    expect(comparableParts(v).find((p) => p.key === 'timeline')?.text).toBe(
      '2026-11-22 04:30:00 UTC [note] (pinned) alert fired\n2026-11-22 05:00:00 UTC [note] rolled back',
    )
  })
})

describe('which parts changed between two versions', () => {
  it('finds nothing between identical versions, or when only line endings or the timeline order differ', () => {
    const timeline = [event('a', '2026-11-22T04:30:00.000Z', 'alert fired'), event('b', '2026-11-22T05:00:00.000Z', 'rolled back')]
    const before = version({ summary: 'One line\nTwo lines', timeline })
    const after = version({ summary: 'One line\r\nTwo lines\n', timeline: [...timeline].reverse() })
    expect(changedParts(before, before)).toEqual([])
    expect(changedParts(before, after)).toEqual([])
    expect(describeChanges([])).toBe('No changes.')
  })

  it('reports only the changed sections, in reading order, with their added and removed lines', () => {
    const before = version({ summary: 'Latency rose.', sections: { impact: 'Slow checkouts.\nNo errors.', lessons: 'Watch p99.' } })
    const after = version({ summary: 'Latency rose.', sections: { impact: 'Slow checkouts.\n3 % of requests failed.', detection: 'The p99 alert fired.', lessons: 'Watch p99.' } })
    const changes = changedParts(before, after)
    expect(changes.map((c) => [c.key, c.kind, c.addedLines, c.removedLines])).toEqual([
      ['impact', 'changed', 1, 1],
      ['detection', 'added', 1, 0],
    ])
    expect(changes[0].title).toBe('Impact')
    expect(changes[0].parts).toEqual([
      { value: 'Slow checkouts.\n', added: false, removed: false },
      { value: 'No errors.\n', added: false, removed: true },
      { value: '3 % of requests failed.\n', added: true, removed: false },
    ])
    expect(describeChanges(changes)).toBe('2 parts changed: 2 lines added, 1 line removed.')
  })

  it('marks a section emptied as removed, and sees title, cause area and factor changes', () => {
    const before = version({ sections: { trigger: 'A deploy.' }, causeAreas: ['model'] }, 'Old title')
    const after = version({ causeAreas: ['model', 'data'], factors: [{ area: 'data', text: 'No drift check on the feature store.' }] }, 'New title')
    const changes = changedParts(before, after)
    expect(changes.map((c) => [c.key, c.kind])).toEqual([
      ['title', 'changed'],
      ['cause-areas', 'changed'],
      ['factors', 'added'],
      ['trigger', 'removed'],
    ])
    expect(changes.find((c) => c.key === 'cause-areas')?.parts.filter((p) => p.added).map((p) => p.value)).toEqual(['Data\n'])
    expect(changes.find((c) => c.key === 'factors')?.parts).toEqual([{ value: 'Data: No drift check on the feature store.\n', added: true, removed: false }])
    expect(changes.find((c) => c.key === 'trigger')).toMatchObject({ addedLines: 0, removedLines: 1 })
  })

  it('sees an event edited or pinned as a timeline change', () => {
    const before = version({ timeline: [event('a', '2026-11-22T04:30:00.000Z', 'alert fired')] })
    const after = version({ timeline: [event('a', '2026-11-22T04:30:00.000Z', 'alert fired', true), event('b', '2026-11-22T04:40:00.000Z', 'paged the model owner')] })
    const [change] = changedParts(before, after)
    expect(change).toMatchObject({ key: 'timeline', kind: 'changed', addedLines: 2, removedLines: 1 })
  })
})

describe('a line diff', () => {
  it('treats text appended after a last line without newline as added lines only', () => {
    expect(lineDiff('a', 'a\nb')).toEqual([
      { value: 'a\n', added: false, removed: false },
      { value: 'b\n', added: true, removed: false },
    ])
    expect(lineDiff('', '')).toEqual([])
  })
})
