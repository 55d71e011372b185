import { describe, expect, it } from 'vitest'
import type { Finding } from '@/lib/traces/model'
import { groupFindings } from './findings'

const finding = (id: string, detector: string, severity: Finding['severity'], spanIds: string[], summary = `${detector} on ${spanIds[0]}`): Finding => ({
  id,
  detector,
  failureClass: detector === 'max-tokens' ? 'token-budget-exhaustion' : 'api-contract-version-skew',
  severity,
  summary,
  spanIds,
  evidence: {},
})

describe('groupFindings', () => {
  it('folds the same finding on many spans into one line, critical first', () => {
    const groups = groupFindings([
      finding('1', 'max-tokens', 'warning', ['a']),
      finding('2', 'swallowed-error', 'critical', ['p', 'r']),
      finding('3', 'max-tokens', 'warning', ['b']),
      finding('4', 'max-tokens', 'warning', ['b']),
    ])
    expect(groups.map((g) => [g.detector, g.count, g.spanIds])).toEqual([
      ['swallowed-error', 1, ['p', 'r']],
      ['max-tokens', 3, ['a', 'b']],
    ])
    expect(groups[1].summary).toBe('max-tokens on a')
  })

  it('keeps a detector apart when it points at different failure classes or severities', () => {
    const critical = { ...finding('5', 'max-tokens', 'critical', ['c']) }
    expect(groupFindings([finding('1', 'max-tokens', 'warning', ['a']), critical])).toHaveLength(2)
    expect(groupFindings([])).toEqual([])
  })
})
