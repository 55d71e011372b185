import { describe, expect, it } from 'vitest'
import { ragChatTrace } from '@/lib/traces/detectors/test-trace'
import { CASE_FORMAT, parseCaseDocument, toCaseDocument, type CaseDocument, type DocumentSource } from './document'
import { describeTrace } from './describe'

function storedCase(): DocumentSource {
  const trace = ragChatTrace().update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'] } }).build()
  return {
    number: 17,
    title: 'Answers cut off mid-sentence on long refund questions',
    category: 'token-budget-exhaustion',
    notes: 'max_tokens=1024 is too low for the refund policy answers.',
    tags: ['rag-chat', 'max-tokens'],
    traceId: trace.traceId,
    ...describeTrace(trace),
    createdAt: new Date('2026-11-20T09:15:00.000Z'),
    snapshot: trace,
  }
}

/** A document as a file holds it: through JSON text, with the key order JSON.stringify gives. */
function asFile(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document))
}

function withoutInstallationFields(document: CaseDocument) {
  const { exportedAt: _exportedAt, case: fields, ...rest } = document
  const { number: _number, pinnedAt: _pinnedAt, ...kept } = fields
  return { ...rest, case: kept }
}

describe('case documents (firebreak.case/v1)', () => {
  it('exports the curated fields and the trace, and reads pipeline, models and start from the trace', () => {
    const document = toCaseDocument(storedCase(), new Date('2026-11-22T10:00:00.000Z'))
    expect(document).toMatchObject({
      format: CASE_FORMAT,
      exportedAt: '2026-11-22T10:00:00.000Z',
      case: {
        number: 17,
        category: 'token-budget-exhaustion',
        pipeline: 'rag-chat',
        models: ['bge-large-en-v1.5', 'intent-classifier', 'llama-3.1-70b-instruct', 'qwen2.5-7b-instruct'],
        spanCount: 8,
        pinnedAt: '2026-11-20T09:15:00.000Z',
      },
    })
    expect(document.case.traceStartedAt).toBe(new Date(Math.floor(document.trace.spans[0].startUs / 1000)).toISOString())
  })

  it('round-trips: export, import, export gives the same document apart from number and times', () => {
    const first = toCaseDocument(storedCase())
    const parsed = parseCaseDocument(asFile(first))
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const imported = parsed.value
    const second = toCaseDocument({ ...imported, number: 3, createdAt: new Date(), snapshot: imported.trace })
    expect(withoutInstallationFields(second)).toEqual(withoutInstallationFields(first))
    expect(JSON.stringify(withoutInstallationFields(second))).toBe(JSON.stringify(withoutInstallationFields(first)))
  })

  it('puts the trace in the model order whatever order the stored JSON has (jsonb sorts keys)', () => {
    const source = storedCase()
    const shuffled = JSON.parse(JSON.stringify(source.snapshot, (_key, value) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value)))
    expect(JSON.stringify(toCaseDocument({ ...source, snapshot: shuffled }).trace)).toBe(JSON.stringify(toCaseDocument(source).trace))
  })

  it('accepts a hand-written fixture with only format, title, category and trace', () => {
    const { trace } = toCaseDocument(storedCase())
    const parsed = parseCaseDocument(asFile({ format: CASE_FORMAT, case: { title: 'Length-terminated answer', category: 'token-budget-exhaustion' }, trace }))
    expect(parsed).toMatchObject({ ok: true, value: { pipeline: 'rag-chat', spanCount: 8, notes: '', tags: [], traceId: trace.traceId } })
  })

  it('names the path of every mistake', () => {
    const good = asFile(toCaseDocument(storedCase())) as CaseDocument
    const issuesOf = (change: (d: CaseDocument) => void) => {
      const document = structuredClone(good)
      change(document)
      const parsed = parseCaseDocument(document)
      return parsed.ok ? [] : parsed.issues
    }
    expect(issuesOf((d) => void (d.case.category = 'gpu-melted'))).toEqual([{ path: 'case.category', message: expect.stringContaining('failure class id from the taxonomy') }])
    expect(issuesOf((d) => void (d.trace.spans[2].spanId = 'xyz'))).toEqual([{ path: 'trace.spans.2.spanId', message: expect.stringContaining('16 lowercase hex digits') }])
    expect(issuesOf((d) => void (d.trace.spans[3].spanId = d.trace.spans[1].spanId))).toEqual([{ path: 'trace.spans.3.spanId', message: expect.stringContaining('appears twice') }])
    expect(issuesOf((d) => void (d.trace.spans[4].traceId = 'aa000000000000000000000000000001'))).toEqual([{ path: 'trace.spans.4.traceId', message: expect.stringContaining("not the trace's id") }])
    expect(issuesOf((d) => void (d.case.spanCount = 9))).toEqual([{ path: 'case.spanCount', message: 'is 9, but the trace holds 8 spans' }])
    expect(issuesOf((d) => void (d.case.title = ''))).toEqual([{ path: 'case.title', message: 'needs at least 3 characters' }])
    expect(issuesOf((d) => void ((d as { format: string }).format = 'firebreak.case/v2'))).toEqual([{ path: 'format', message: `is "firebreak.case/v2"; this Firebreak reads ${CASE_FORMAT} documents` }])
    expect(issuesOf((d) => void (d.trace.spans = []))).toEqual([{ path: 'trace.spans', message: 'a trace needs at least one span' }])
  })

  it('says what a case file is when given something else', () => {
    expect(parseCaseDocument([1, 2])).toEqual({ ok: false, issues: [{ path: '(document)', message: expect.stringContaining(CASE_FORMAT) }] })
    const parsed = parseCaseDocument({ resourceSpans: [] })
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['format', 'case', 'trace']))
  })
})
