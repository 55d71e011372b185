import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { ragChatTrace } from '@/lib/traces/detectors/test-trace'
import type { Trace } from '@/lib/traces/model'
import { REDACTED, redactTrace } from '@/lib/traces/redact'
import { deleteTrace, storeSpans } from '@/lib/traces/store'
import { StoredTraceSource } from '@/lib/traces/store/source'
import { useTestDatabase } from '@/tests/db'
import { exportCase, importCase, pinCase } from './pin'
import { pinCaseSchema, listCasesQuerySchema } from './schemas'
import { casesForIncident, deleteCase, getCase, linkIncident, listCases, unlinkIncident, updateCase } from './service'
import { similarToCase, similarToTrace } from './similar'

const as = (id: string, role: 'viewer' | 'responder' | 'editor'): RequestContext => ({ actor: { id, email: `${id}@example.com`, name: `Case ${role} ${id}`, role } })
const viewer = as('case-viewer', 'viewer')
const responder = as('case-responder', 'responder')
const otherResponder = as('case-responder-2', 'responder')
const editor = as('case-editor', 'editor')
const config = DEFAULT_TRACE_CONFIG

/** The rag-chat scenario, its generator stopped by max_tokens, as a request of its own (fresh trace id per run). */
function tokenBudgetTrace(): Trace {
  const traceId = randomBytes(16).toString('hex')
  const trace = ragChatTrace()
    .update('generator', { attributes: { 'gen_ai.response.finish_reasons': ['length'], 'gen_ai.usage.output_tokens': 1024 } })
    .build()
  return { ...trace, traceId, spans: trace.spans.map((s) => ({ ...s, traceId })) }
}

describe('the failure case library', () => {
  const { db } = useTestDatabase()
  const source = new StoredTraceSource(db)
  const deps = { sources: [source], config }
  // the integration run shares one database between files: every name here is this run's own
  const runTag = `run-${randomBytes(4).toString('hex')}`
  let incident: { id: string; number: number }

  beforeAll(async () => {
    incident = await db.incident.create({ data: { title: 'rag-chat answers cut off', severity: 'SEV2', source: 'declared', startedAt: new Date(), pipeline: 'rag-chat' }, select: { id: true, number: true } })
  })
  afterAll(() => db.$disconnect())

  const pinInput = (traceId: string, extra: Record<string, unknown> = {}) =>
    pinCaseSchema.parse({ traceId, title: 'Answers cut off mid-sentence', category: 'token-budget-exhaustion', notes: 'max_tokens 1024 is too low for refund answers', tags: [runTag, 'max-tokens'], ...extra })

  it('pins a multi-stage trace from the OTLP store, and the case keeps it after the store has dropped it', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const asStored = await source.getTrace(trace.traceId)
    expect(asStored?.spans).toHaveLength(8)

    await expect(pinCase(viewer, pinInput(trace.traceId), deps)).rejects.toMatchObject({ code: 'forbidden' })
    const pinned = await pinCase(responder, pinInput(trace.traceId, { incidentNumbers: [incident.number] }), deps)
    expect(pinned).toMatchObject({
      traceId: trace.traceId,
      category: 'token-budget-exhaustion',
      source: 'OTLP receiver',
      pipeline: 'rag-chat',
      models: ['bge-large-en-v1.5', 'intent-classifier', 'llama-3.1-70b-instruct', 'qwen2.5-7b-instruct'],
      spanCount: 8,
      traceStartedAt: new Date(Math.floor(trace.spans[0].startUs / 1000)),
      pinnedByName: responder.actor!.name,
      version: 1,
      incidents: [{ number: incident.number }],
    })

    expect(await deleteTrace(db, trace.traceId)).toBe(8)
    expect(await source.getTrace(trace.traceId)).toBeNull()

    const opened = await getCase(viewer, pinned.number, { config })
    expect(opened.trace).toEqual(redactTrace(asStored!, config))
    // redacted before it was stored: end-user ids do not outlive the backend's retention
    expect(opened.trace.spans.find((s) => s.parentSpanId === null)?.attributes['enduser.id']).toBe(REDACTED)
    expect(opened.findings.map((f) => f.detector)).toContain('token-budget')
    expect(await db.auditEvent.count({ where: { action: 'case.pin', targetId: pinned.id } })).toBe(1)
  })

  it('says which sources it searched when none has the trace, and pins nothing', async () => {
    const before = await db.traceCase.count()
    const missing = randomBytes(16).toString('hex')
    await expect(pinCase(responder, pinInput(missing), deps)).rejects.toMatchObject({ code: 'not_found', userMessage: expect.stringContaining('searched: OTLP receiver') })
    expect(await db.traceCase.count()).toBe(before)
  })

  it('refuses an incident that does not exist, naming the field, and pins nothing', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    await expect(pinCase(responder, pinInput(trace.traceId, { incidentNumbers: [2_000_000_000] }), deps)).rejects.toMatchObject({
      code: 'bad_request',
      options: { issues: [{ path: 'incidentNumbers.0', message: 'there is no incident INC-2000000000' }] },
    })
    expect(await db.traceCase.count({ where: { traceId: trace.traceId } })).toBe(0)
    await deleteTrace(db, trace.traceId)
  })

  it('exports a case as a document that imports as a new case and exports the same again', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const pinned = await pinCase(responder, pinInput(trace.traceId), deps)
    await deleteTrace(db, trace.traceId)
    const first = await exportCase(viewer, pinned.number)
    expect(first.fileName).toBe(`CASE-${pinned.number}.firebreak-case.json`)

    await expect(importCase(viewer, first.document, { config })).rejects.toMatchObject({ code: 'forbidden' })
    const imported = await importCase(responder, JSON.parse(JSON.stringify(first.document)), { config })
    expect(imported.number).not.toBe(pinned.number)
    expect(imported.source).toBe('import')

    const second = await exportCase(viewer, imported.number)
    const comparable = ({ exportedAt: _e, case: { number: _n, pinnedAt: _p, ...fields }, ...rest }: typeof first.document) => ({ ...rest, case: fields })
    expect(JSON.stringify(comparable(second.document))).toBe(JSON.stringify(comparable(first.document)))
  })

  it('refuses a broken case file with the path of each mistake', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const pinned = await pinCase(responder, pinInput(trace.traceId), deps)
    const { document } = await exportCase(viewer, pinned.number)
    const broken = JSON.parse(JSON.stringify(document))
    broken.case.category = 'gpu-melted'
    broken.trace.spans[1].parentSpanId = 'not-a-span'
    const before = await db.traceCase.count()
    await expect(importCase(responder, broken, { config })).rejects.toMatchObject({
      code: 'bad_request',
      options: { issues: expect.arrayContaining([expect.objectContaining({ path: 'case.category' }), expect.objectContaining({ path: 'trace.spans.1.parentSpanId' })]) },
    })
    expect(await db.traceCase.count()).toBe(before)
    await deleteTrace(db, trace.traceId)
  })

  it('keeps both editors’ intent: a save from an old version is refused with the current case', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const pinned = await pinCase(responder, pinInput(trace.traceId), deps)
    await expect(updateCase(viewer, pinned.number, { version: 1, title: 'Viewer was here' })).rejects.toMatchObject({ code: 'forbidden' })
    const saved = await updateCase(responder, pinned.number, { version: 1, title: 'Refund answers stop at 1,024 tokens', tags: [runTag, 'refunds'] })
    expect(saved).toMatchObject({ version: 2, title: 'Refund answers stop at 1,024 tokens', tags: [runTag, 'refunds'] })
    const conflict = updateCase(editor, pinned.number, { version: 1, category: 'context-window-overflow' })
    await expect(conflict).rejects.toMatchObject({ code: 'conflict', status: 409, options: { details: { current: { version: 2, title: 'Refund answers stop at 1,024 tokens' } } } })
    expect((await getCase(viewer, pinned.number, { config })).case.category).toBe('token-budget-exhaustion')
    expect(await db.auditEvent.count({ where: { action: 'case.update', targetId: pinned.id } })).toBe(1)
    await deleteTrace(db, trace.traceId)
  })

  it('shows incident links from both sides, and records them in the incident timeline', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const pinned = await pinCase(responder, pinInput(trace.traceId), deps)
    expect(pinned.incidents).toEqual([])

    const linked = await linkIncident(responder, pinned.number, incident.number)
    expect(linked.incidents.map((i) => i.number)).toEqual([incident.number])
    expect((await linkIncident(responder, pinned.number, incident.number)).incidents).toHaveLength(1)
    expect((await casesForIncident(viewer, incident.number)).map((c) => c.number)).toContain(pinned.number)
    expect((await listCases(viewer, listCasesQuerySchema.parse({ incident: String(incident.number) }))).cases.map((c) => c.number)).toContain(pinned.number)
    const entries = await db.timelineEntry.findMany({ where: { incidentId: incident.id, kind: 'link' } })
    expect(entries.filter((e) => (e.data as { url?: string }).url === `/cases/${pinned.number}`)).toHaveLength(1)

    await expect(linkIncident(viewer, pinned.number, incident.number)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(linkIncident(responder, pinned.number, 2_000_000_000)).rejects.toMatchObject({ code: 'not_found' })
    const unlinked = await unlinkIncident(responder, pinned.number, incident.number)
    expect(unlinked.incidents).toEqual([])
    expect((await casesForIncident(viewer, incident.number)).map((c) => c.number)).not.toContain(pinned.number)
    await expect(unlinkIncident(responder, pinned.number, incident.number)).rejects.toMatchObject({ code: 'not_found' })
    await deleteTrace(db, trace.traceId)
  })

  it('lets the pinner or an editor delete a case, nobody else, and the audit log keeps its export', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const mine = await pinCase(responder, pinInput(trace.traceId, { incidentNumbers: [incident.number] }), deps)
    const another = await pinCase(responder, pinInput(trace.traceId), deps)
    await deleteTrace(db, trace.traceId)

    await expect(deleteCase(viewer, mine.number)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(deleteCase(otherResponder, mine.number)).rejects.toMatchObject({ code: 'forbidden', userMessage: expect.stringContaining(responder.actor!.name) })
    await deleteCase(responder, mine.number)
    await deleteCase(editor, another.number)
    await expect(getCase(viewer, mine.number)).rejects.toMatchObject({ code: 'not_found' })
    expect(await db.traceCaseIncident.count({ where: { incidentId: incident.id, traceCase: { number: mine.number } } })).toBe(0)

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'case.delete', targetId: mine.id } })
    const kept = (audit.before as unknown as { document: { format: string; trace: Trace } }).document
    expect(kept.format).toBe('firebreak.case/v1')
    expect(kept.trace.traceId).toBe(trace.traceId)
    const restored = await importCase(editor, kept, { config })
    expect(restored).toMatchObject({ title: mine.title, category: mine.category, spanCount: 8 })
  })

  it('filters the library by category, model, pipeline, tag, trace date and text, newest first, a page at a time', async () => {
    const query = (q: Record<string, string>) => listCases(viewer, listCasesQuerySchema.parse({ tag: runTag, ...q }))
    const all = await query({ pageSize: '100' })
    expect(all.total).toBeGreaterThanOrEqual(5)
    const starts = all.cases.map((c) => c.traceStartedAt.getTime())
    expect(starts).toEqual([...starts].sort((a, b) => b - a))

    const day = all.cases[0].traceStartedAt.toISOString().slice(0, 10)
    expect((await query({ category: 'token-budget-exhaustion' })).total).toBe(all.total)
    expect((await query({ category: 'gpu-oom' })).total).toBe(0)
    expect((await query({ model: 'llama-3.1-70b-instruct' })).total).toBe(all.total)
    expect((await query({ model: 'llama-3' })).total).toBe(0)
    expect((await query({ pipeline: 'rag-chat' })).total).toBe(all.total)
    expect((await query({ from: day, to: day })).total).toBe(all.total)
    expect((await query({ to: '2020-01-01' })).total).toBe(0)
    expect((await query({ q: 'REFUND ANSWERS' })).total).toBeGreaterThanOrEqual(1)
    expect((await query({ q: `CASE-${all.cases[0].number}` })).cases.map((c) => c.number)).toEqual([all.cases[0].number])

    const first = await query({ pageSize: '2', page: '1' })
    const second = await query({ pageSize: '2', page: '2' })
    expect(first.cases).toHaveLength(2)
    expect(second.cases[0].number).not.toBe(first.cases[0].number)
    expect(first.total).toBe(all.total)
  })

  it('finds the same failure seen before: a new trace against the library, and a case against the others', async () => {
    const trace = tokenBudgetTrace()
    await storeSpans(db, trace.spans)
    const result = await similarToTrace(viewer, trace.traceId, {}, deps)
    expect(result.category).toBe('token-budget-exhaustion')
    expect(result.inCategory.length).toBeGreaterThan(0)
    expect(result.inCategory[0]).toMatchObject({ category: 'token-budget-exhaustion', isSameTrace: false, shared: { detectors: ['token-budget'] } })
    expect(result.inCategory[0].score).toBeGreaterThan(0.9)

    const pinned = await pinCase(responder, pinInput(trace.traceId), deps)
    await deleteTrace(db, trace.traceId)
    // the backend has dropped the trace: the comparison reads the case pinned from it
    const again = await similarToTrace(viewer, trace.traceId, {}, deps)
    expect(again.overall.find((m) => m.number === pinned.number)).toMatchObject({ isSameTrace: true, score: 1 })

    const fromCase = await similarToCase(viewer, pinned.number, {}, { config })
    expect(fromCase.category).toBe('token-budget-exhaustion')
    expect(fromCase.overall.map((m) => m.number)).not.toContain(pinned.number)
    expect(fromCase.inCategory.length).toBeGreaterThan(0)
  })
})
