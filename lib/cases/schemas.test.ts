import { describe, expect, it } from 'vitest'
import { caseNumberSchema, listCasesQuerySchema, pinCaseSchema, similarQuerySchema, updateCaseSchema } from './schemas'

describe('case inputs', () => {
  it('reads what the pin form sends: a pasted trace id, comma-separated tags and incident numbers', () => {
    const input = pinCaseSchema.parse({ traceId: ' 7F3A9C1E5B2D4F60A8C1E3B5D7F9A2C4 ', title: '  Cut off answers ', category: 'token-budget-exhaustion', tags: 'KV-Cache, rag-chat, kv-cache', incidentNumbers: '42, INC-43, 42' })
    expect(input).toEqual({ traceId: '7f3a9c1e5b2d4f60a8c1e3b5d7f9a2c4', title: 'Cut off answers', category: 'token-budget-exhaustion', notes: '', tags: ['kv-cache', 'rag-chat'], incidentNumbers: [42, 43] })
  })

  it('names each bad field', () => {
    const result = pinCaseSchema.safeParse({ traceId: 'nope', title: 'x', category: 'gpu-melted', tags: ['ok', 'not ok!'], incidentNumbers: ['INC-x'] })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['category', 'incidentNumbers.0', 'tags.1', 'title', 'traceId'])
  })

  it('takes CASE-12 and 12 as the same case, and nothing else', () => {
    expect(caseNumberSchema.parse('CASE-12')).toBe(12)
    expect(caseNumberSchema.parse('12')).toBe(12)
    expect(caseNumberSchema.safeParse('12.5').success).toBe(false)
    expect(caseNumberSchema.safeParse('INC-12').success).toBe(false)
  })

  it('needs the version an edit started from, and nothing unknown', () => {
    expect(updateCaseSchema.safeParse({ title: 'New title' }).success).toBe(false)
    expect(updateCaseSchema.safeParse({ version: 2, snapshot: {} }).success).toBe(false)
    expect(updateCaseSchema.parse({ version: 2, tags: '' })).toEqual({ version: 2, tags: [] })
  })

  it('reads the list filters from a query string, empty fields as absent', () => {
    expect(listCasesQuerySchema.parse({ q: '', category: '', from: '2026-11-01', page: '2' })).toEqual({ from: '2026-11-01', page: 2, pageSize: 25 })
    expect(listCasesQuerySchema.safeParse({ from: '1 Nov' }).success).toBe(false)
  })

  it('compares either a trace or a case', () => {
    expect(similarQuerySchema.parse({ case: 'CASE-3' })).toMatchObject({ case: 3, limit: 10 })
    expect(similarQuerySchema.safeParse({}).success).toBe(false)
    expect(similarQuerySchema.safeParse({ case: '3', traceId: '7f3a9c1e5b2d4f60a8c1e3b5d7f9a2c4' }).success).toBe(false)
  })
})
