/**
 * Postmortems and action items against the real database: the service for the journey, and the API routes in process
 * (session mocked) for the HTTP contract. The integration run shares one database between files in random order:
 * everything here is this run's own (users, pipeline, incidents).
 */
import { randomBytes } from 'node:crypto'
import { NextRequest } from 'next/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import type { Prisma } from '@/lib/db'
import type { MetricsSource } from '@/lib/telemetry/metrics-source'
import { MetricsSourceError } from '@/lib/telemetry/metrics-source'
import { useTestDatabase } from '@/tests/db'
import { createActionItem, deleteActionItem, listActionItems, updateActionItem } from './action-item-service'
import { listActionItemsQuerySchema, listPostmortemsQuerySchema, postmortemContentSchema, type PostmortemContent } from './schemas'
import { addComment, citeCase, createPostmortem, getPostmortem, listComments, listPostmortems, listRevisions, refreshFacts, savePostmortem, transitionPostmortem } from './service'
import { TOKEN_BUDGET_CLASSIFICATION_STEPS } from './test-scenario'
import type { SaveConflictDetails } from './views'

const state = vi.hoisted(() => ({ context: { actor: null } as RequestContext }))
vi.mock('@/lib/auth/session', () => ({ getRequestContext: async () => state.context }))

const tag = randomBytes(4).toString('hex')
const person = (role: 'viewer' | 'responder' | 'editor', name: string): RequestContext => ({ actor: { id: `pm-${role}-${tag}`, email: `pm-${role}-${tag}@example.com`, name, role } })
const viewer = person('viewer', 'Vic Viewer')
const rae = person('responder', 'Rae Responder')
const eli = person('editor', 'Eli Editor')

/** A backend that is down: every query fails the way PrometheusSource fails on a refused connection. */
const downSource: MetricsSource = {
  name: 'Prometheus',
  queryRange: async () => { throw new MetricsSourceError('Prometheus is unreachable at http://127.0.0.1:9: connect ECONNREFUSED', 'backend') },
  queryInstant: async () => { throw new MetricsSourceError('Prometheus is unreachable at http://127.0.0.1:9: connect ECONNREFUSED', 'backend') },
  series: async () => [],
}

/** A backend that answers the error-ratio query with 1 % errors over whatever window is asked. */
const queries: string[] = []
const upSource: MetricsSource = {
  name: 'Prometheus',
  queryRange: async () => [],
  queryInstant: async (query, time) => {
    queries.push(query)
    return [{ labels: {}, value: [time.getTime() / 1000, 0.01] }]
  },
  series: async () => [],
}

const routes = {
  list: await import('@/app/api/postmortems/route'),
  one: await import('@/app/api/postmortems/[number]/route'),
  status: await import('@/app/api/postmortems/[number]/status/route'),
  exported: await import('@/app/api/postmortems/[number]/export/route'),
  items: await import('@/app/api/postmortems/[number]/action-items/route'),
  item: await import('@/app/api/action-items/[number]/route'),
  allItems: await import('@/app/api/action-items/route'),
  comments: await import('@/app/api/postmortems/[number]/comments/route'),
}

type Handler<P> = (request: NextRequest, route: { params: Promise<P> }) => Promise<Response>
async function call<P>(handler: Handler<P>, path: string, params: P, init: { method?: string; body?: unknown } = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body)
  const response = await handler(new NextRequest(new URL(path, 'http://firebreak.test'), { method: init.method ?? 'GET', body, headers: body ? { 'content-type': 'application/json' } : undefined }), { params: Promise.resolve(params) })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null }
}

describe('postmortems', () => {
  const { db } = useTestDatabase()
  const pipeline = `pm-pipe-${tag}`
  const started = new Date(Date.now() - 3 * 3_600_000)
  const resolved = new Date(started.getTime() + 90 * 60_000)
  let incident: { id: string; number: number }
  let caseNumber: number

  async function makeIncident(status: 'investigating' | 'resolved', extra: Partial<Prisma.IncidentUncheckedCreateInput> = {}) {
    return db.incident.create({
      data: { title: `Answers cut off ${tag}`, severity: 'SEV2', source: 'declared', status, pipeline, models: ['llama-3.1-70b-instruct'], startedAt: started, detectedAt: new Date(started.getTime() + 5 * 60_000), acknowledgedAt: new Date(started.getTime() + 7 * 60_000), mitigatedAt: status === 'resolved' ? new Date(started.getTime() + 60 * 60_000) : null, resolvedAt: status === 'resolved' ? resolved : null, ...extra },
      select: { id: true, number: true },
    })
  }

  beforeAll(async () => {
    await db.user.createMany({ data: [viewer, rae, eli].map((c) => ({ id: c.actor!.id, email: c.actor!.email, name: c.actor!.name, role: c.actor!.role })), skipDuplicates: true })
    incident = await makeIncident('resolved')
    await db.timelineEntry.createMany({
      data: [
        { incidentId: incident.id, at: new Date(started.getTime() + 5 * 60_000), kind: 'declared', actorName: 'Rae Responder', body: 'Declared by Rae Responder as SEV2' },
        { incidentId: incident.id, at: new Date(started.getTime() + 20 * 60_000), kind: 'note', actorName: 'Rae Responder', body: 'Refund answers stop at 512 tokens' },
        { incidentId: incident.id, at: resolved, kind: 'status', actorName: 'Rae Responder', body: 'Status mitigated → resolved' },
      ],
    })
    await db.alert.create({ data: { incidentId: incident.id, fingerprint: `fp-${tag}`, startsAt: started, endsAt: resolved, status: 'resolved', alertname: 'LengthTerminatedShareHigh', labels: { severity: 'page' }, annotations: { summary: '12 % of generations stop at max_tokens' } } })
    await db.incidentClassification.create({ data: { incidentId: incident.id, revision: 1, errorState: 'degraded-output', pathway: 'model', failureClass: 'token-budget-exhaustion', steps: TOKEN_BUDGET_CLASSIFICATION_STEPS as unknown as Prisma.InputJsonValue, decidedByName: 'Rae Responder' } })
    await db.checklistTick.create({ data: { incidentId: incident.id, runbookId: `rb-${tag}`, itemKey: 'k1', itemText: 'Raise max_tokens for the refund route', checked: true, byName: 'Rae Responder' } })
    await db.slo.create({
      data: { name: `pm-${tag}-complete`, displayName: 'Complete answers', service: pipeline, objective: 0.99, periodDays: 30, sli: { kind: 'ratio', badQuery: 'sum(rate(cut_off_total[{{.window}}]))', totalQuery: 'sum(rate(answers_total[{{.window}}]))' } },
    })
    const kase = await db.traceCase.create({
      data: { title: `Refund answer cut off ${tag}`, traceId: randomBytes(16).toString('hex'), category: 'token-budget-exhaustion', source: 'import', snapshot: {}, spanCount: 1, traceStartedAt: started, incidents: { create: { incidentId: incident.id } } },
      select: { number: true },
    })
    caseNumber = kase.number
  })
  afterAll(() => db.$disconnect())

  let number: number
  let generated: PostmortemContent

  it('starts only from a mitigated or resolved incident, and only for postmortem writers', async () => {
    const open = await makeIncident('investigating')
    await expect(createPostmortem(rae, open.number, { metrics: upSource })).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('is investigating') })
    await expect(createPostmortem(viewer, incident.number, { metrics: upSource })).rejects.toMatchObject({ code: 'forbidden' })
    expect(await db.postmortem.count({ where: { incidentId: { in: [open.id, incident.id] } } })).toBe(0)
  })

  it('is created mostly written while Prometheus is down: facts, timeline, drafts, cited cases; the impact says why it is missing', async () => {
    const pm = await createPostmortem(rae, incident.number, { metrics: downSource })
    number = pm.number
    generated = pm.content
    expect(pm).toMatchObject({ status: 'draft', version: 1, title: `Answers cut off ${tag}`, createdByName: 'Rae Responder', incident: { number: incident.number } })
    expect(pm.facts?.sloImpact).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('ECONNREFUSED'), slos: [{ slo: `pm-${tag}-complete`, consumed: null }] })
    expect(pm.facts?.classification).toMatchObject({ failureClass: 'token-budget-exhaustion', steps: TOKEN_BUDGET_CLASSIFICATION_STEPS })
    expect(pm.facts?.runbooks).toEqual([expect.objectContaining({ id: `rb-${tag}`, done: 1, total: 1 })])
    expect(pm.facts?.alerts).toMatchObject({ total: 1, shown: [{ alertname: 'LengthTerminatedShareHigh', summary: '12 % of generations stop at max_tokens' }] })
    expect(pm.content.timeline.map((e) => [e.kind, e.pinned])).toEqual([['milestone', true], ['declared', true], ['note', false], ['status', true]])
    expect(pm.content.sections.impact).toContain('not measured yet')
    expect(pm.content.causeAreas).toEqual(['model'])
    expect(pm.cases.map((c) => c.number)).toEqual([caseNumber])
    expect(pm.publishBlockers.length).toBeGreaterThan(0)
    // the incident links to it, and the audit log has it
    const link = await db.timelineEntry.findFirst({ where: { incidentId: incident.id, kind: 'link' }, orderBy: { id: 'desc' } })
    expect(link).toMatchObject({ body: `Postmortem PM-${number} started`, data: { url: `/postmortems/${number}` } })
    expect(await db.auditEvent.count({ where: { action: 'postmortem.create', targetId: pm.id } })).toBe(1)
  })

  it('refuses a second postmortem for the same incident and names the first', async () => {
    await expect(createPostmortem(eli, incident.number, { metrics: upSource })).rejects.toMatchObject({ code: 'conflict', options: { details: { number } } })
  })

  it('refreshes the facts once Prometheus is back: the budget consumed over the incident window, content untouched', async () => {
    queries.length = 0
    const pm = await refreshFacts(rae, number, { metrics: upSource })
    const hours = (resolved.getTime() - started.getTime()) / 3_600_000
    // 1 % errors against a 99 % objective burns at 1x; 90 minutes of a 30-day period is 90 / 43,200 of its budget
    expect(pm.facts?.sloImpact).toMatchObject({ status: 'measured', reason: null, window: { start: started.toISOString(), end: resolved.toISOString() } })
    expect(pm.facts?.sloImpact.slos[0].consumed).toBeCloseTo((0.01 / 0.01) * (hours / (30 * 24)), 10)
    expect(queries[0]).toContain('cut_off_total[5400s]')
    expect(pm.version).toBe(1)
    expect(pm.content).toEqual(generated)
  })

  it('saves on top of the version it started from; a stale save gets 409 with the other text, and nothing is lost', async () => {
    const mine = postmortemContentSchema.parse({ ...generated, sections: { ...generated.sections, trigger: 'Release 2026.11.3 made the refund prompt 400 tokens longer.' } })
    const saved = await savePostmortem(rae, number, { version: 1, title: 'Refund answers cut off by max_tokens', content: mine })
    expect(saved).toMatchObject({ version: 2, title: 'Refund answers cut off by max_tokens', lastEditorName: 'Rae Responder' })

    const theirs = postmortemContentSchema.parse({ ...generated, sections: { ...generated.sections, lessons: 'Per-route token budgets hide per-class needs.' } })
    const stale = await savePostmortem(eli, number, { version: 1, title: 'Eli title', content: theirs }).catch((e) => e)
    expect(stale).toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('Rae Responder saved PM-') })
    const details = stale.options.details as SaveConflictDetails
    expect(details.current).toMatchObject({ version: 2, title: 'Refund answers cut off by max_tokens', lastEditorName: 'Rae Responder' })
    expect(details.current.content.sections.trigger).toBe('Release 2026.11.3 made the refund prompt 400 tokens longer.')

    // Eli merges: their lesson on top of Rae's trigger, saved on version 2
    const merged = await savePostmortem(eli, number, { version: 2, title: details.current.title, content: { ...details.current.content, sections: { ...details.current.content.sections, lessons: theirs.sections.lessons } } })
    expect(merged.version).toBe(3)
    expect(merged.content.sections).toMatchObject({ trigger: mine.sections.trigger, lessons: theirs.sections.lessons })
    expect((await listRevisions(viewer, number)).map((r) => [r.version, r.authorName])).toEqual([[3, 'Eli Editor'], [2, 'Rae Responder'], [1, 'Rae Responder']])
    await expect(savePostmortem(viewer, number, { version: 3, title: 'x title', content: mine })).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('lets two concurrent saves from one version through exactly once', async () => {
    const pm = await getPostmortem(viewer, number)
    const results = await Promise.allSettled([
      savePostmortem(rae, number, { version: pm.version, title: pm.title, content: { ...pm.content, summary: 'Rae summary' } }),
      savePostmortem(eli, number, { version: pm.version, title: pm.title, content: { ...pm.content, summary: 'Eli summary' } }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['conflict'])
    expect((await getPostmortem(viewer, number)).version).toBe(pm.version + 1)
  })

  it('goes to review and is published only once the required sections are written by people', async () => {
    let pm = await getPostmortem(viewer, number)
    await expect(transitionPostmortem(rae, number, { action: 'publish', version: pm.version })).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('must be in review') })
    pm = await transitionPostmortem(rae, number, { action: 'submit', version: pm.version })
    expect(pm.status).toBe('in_review')
    const blocked = await transitionPostmortem(eli, number, { action: 'publish', version: pm.version }).catch((e) => e)
    expect(blocked).toMatchObject({ code: 'bad_request' })
    expect(blocked.options.issues.map((i: { message: string }) => i.message).join(' ')).toMatch(/Impact.*Detection.*Root cause.*Resolution/)

    const written = { ...pm.content, sections: { ...pm.content.sections, impact: '4 % of refund answers cut off for 90 minutes.', detection: 'The length alert fired after 5 minutes; no SLO covered completeness per route.', 'root-cause': 'Token budgets were set per route, not per answer class.', resolution: 'Raised max_tokens to 1024 for refunds.' } }
    pm = await savePostmortem(eli, number, { version: pm.version, title: pm.title, content: written })
    expect(pm.publishBlockers).toEqual([])
    await expect(transitionPostmortem(eli, number, { action: 'publish', version: pm.version - 1 })).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('changed since you loaded it') })
    pm = await transitionPostmortem(eli, number, { action: 'publish', version: pm.version })
    expect(pm).toMatchObject({ status: 'published', publishedAt: expect.any(String) })
    await expect(savePostmortem(rae, number, { version: pm.version, title: pm.title, content: pm.content })).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('is published') })
    await expect(refreshFacts(rae, number, { metrics: upSource })).rejects.toMatchObject({ code: 'conflict' })
    expect(await db.timelineEntry.count({ where: { incidentId: incident.id, body: `Postmortem PM-${number} published` } })).toBe(1)
  })

  it('lists postmortems by incident, case and status', async () => {
    const byCase = await listPostmortems(viewer, listPostmortemsQuerySchema.parse({ case: `CASE-${caseNumber}` }))
    expect(byCase.map((p) => p.number)).toEqual([number])
    expect((await listPostmortems(viewer, listPostmortemsQuerySchema.parse({ incident: String(incident.number), status: 'published' }))).map((p) => p.number)).toEqual([number])
    expect(await listPostmortems(viewer, listPostmortemsQuerySchema.parse({ incident: String(incident.number), status: 'draft' }))).toEqual([])
  })

  it('takes comments on a section or the whole document, from writers only, even once published', async () => {
    await addComment(eli, number, { section: 'detection', body: 'Should the length alert page at 5 %?' })
    await addComment(rae, number, { section: null, body: 'Thanks all.' })
    await expect(addComment(viewer, number, { section: null, body: 'viewer says' })).rejects.toMatchObject({ code: 'forbidden' })
    expect((await listComments(viewer, number)).map((c) => [c.section, c.authorName])).toEqual([['detection', 'Eli Editor'], [null, 'Rae Responder']])
  })

  it('cites cases while being written, not after publishing', async () => {
    await expect(citeCase(rae, number, caseNumber)).rejects.toMatchObject({ code: 'conflict' })
  })
})

describe('action items', () => {
  const { db } = useTestDatabase()
  let pmNumber: number
  const now = new Date('2026-11-22T10:00:00.000Z')

  beforeAll(async () => {
    await db.user.createMany({ data: [viewer, rae, eli].map((c) => ({ id: c.actor!.id, email: c.actor!.email, name: c.actor!.name, role: c.actor!.role })), skipDuplicates: true })
    const inc = await db.incident.create({ data: { title: `Action items ${tag}`, severity: 'SEV3', source: 'declared', status: 'resolved', startedAt: new Date(), resolvedAt: new Date() }, select: { number: true } })
    pmNumber = (await createPostmortem(rae, inc.number, { metrics: null })).number
  })
  afterAll(() => db.$disconnect())

  it('are created with an owner, due date and priority; an unknown owner is refused', async () => {
    const item = await createActionItem(rae, pmNumber, { title: `Alert on length share per route ${tag}`, ownerId: eli.actor!.id, dueDate: '2026-11-20', priority: 'p1', status: 'open' }, { now })
    expect(item).toMatchObject({ ownerName: 'Eli Editor', dueDate: '2026-11-20', priority: 'p1', status: 'open', isOverdue: true, postmortem: { number: pmNumber } })
    await expect(createActionItem(rae, pmNumber, { title: 'Nobody owns this', ownerId: 'no-such-user', dueDate: null, priority: 'p2', status: 'open' })).rejects.toMatchObject({ code: 'bad_request', options: { issues: [{ path: 'ownerId' }] } })
    await expect(createActionItem(viewer, pmNumber, { title: 'Viewer item', ownerId: null, dueDate: null, priority: 'p2', status: 'open' })).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('are listed across postmortems with the overdue ones first, and stop being overdue when done', async () => {
    const later = await createActionItem(eli, pmNumber, { title: `Per-class token budgets ${tag}`, ownerId: rae.actor!.id, dueDate: '2026-12-15', priority: 'p0', status: 'in_progress' }, { now })
    const list = await listActionItems(viewer, listActionItemsQuerySchema.parse({ postmortem: String(pmNumber) }), { now })
    expect(list.items.map((i) => [i.title.replace(` ${tag}`, ''), i.isOverdue])).toEqual([['Alert on length share per route', true], ['Per-class token budgets', false]])
    expect(list.today).toBe('2026-11-22')
    const overdueOnly = await listActionItems(viewer, listActionItemsQuerySchema.parse({ overdue: '1', postmortem: String(pmNumber) }), { now })
    expect(overdueOnly.items).toHaveLength(1)
    const mine = await listActionItems(rae, listActionItemsQuerySchema.parse({ owner: 'me', postmortem: String(pmNumber) }), { now })
    expect(mine.items.map((i) => i.number)).toEqual([later.number])

    const done = await updateActionItem(eli, overdueOnly.items[0].number, { status: 'done' }, { now })
    expect(done).toMatchObject({ status: 'done', isOverdue: false, closedAt: now.toISOString() })
    const reopened = await updateActionItem(eli, done.number, { status: 'open', dueDate: null }, { now })
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, dueDate: null, isOverdue: false })
    expect(await db.auditEvent.count({ where: { action: 'action-item.update', targetId: done.id } })).toBe(2)
  })

  it('are deleted while the postmortem is being written, but only closed once it is published', async () => {
    const item = await createActionItem(rae, pmNumber, { title: 'Typo item', ownerId: null, dueDate: null, priority: 'p3', status: 'open' })
    await deleteActionItem(rae, item.number)
    expect(await db.actionItem.count({ where: { number: item.number } })).toBe(0)
    const kept = await createActionItem(rae, pmNumber, { title: 'Kept item', ownerId: null, dueDate: null, priority: 'p3', status: 'open' })
    await db.postmortem.update({ where: { number: pmNumber }, data: { status: 'published' } })
    await expect(deleteActionItem(rae, kept.number)).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining("won't do") })
  })
})

describe('the postmortem API', () => {
  const { db } = useTestDatabase()
  let incidentNumber: number

  beforeAll(async () => {
    await db.user.createMany({ data: [viewer, rae, eli].map((c) => ({ id: c.actor!.id, email: c.actor!.email, name: c.actor!.name, role: c.actor!.role })), skipDuplicates: true })
    incidentNumber = (await db.incident.create({ data: { title: `API postmortem ${tag}`, severity: 'SEV3', source: 'declared', status: 'mitigated', startedAt: new Date(Date.now() - 600_000), mitigatedAt: new Date() }, select: { number: true } })).number
  })
  afterAll(() => db.$disconnect())

  it('answers 401, 403, 400 with field paths, 201, then 409 on a stale save with the current content', async () => {
    state.context = { actor: null }
    expect((await call(routes.list.POST, '/api/postmortems', {}, { method: 'POST', body: { incidentNumber } })).status).toBe(401)
    state.context = viewer
    expect((await call(routes.list.POST, '/api/postmortems', {}, { method: 'POST', body: { incidentNumber } })).status).toBe(403)
    state.context = rae
    const invalid = await call(routes.list.POST, '/api/postmortems', {}, { method: 'POST', body: { incidentNumber: 'INC-x' } })
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', issues: [{ path: 'incidentNumber' }] } } })
    const created = await call(routes.list.POST, '/api/postmortems', {}, { method: 'POST', body: { incidentNumber: `INC-${incidentNumber}` } })
    expect(created.status).toBe(201)
    const pm = created.body.postmortem
    expect(pm.facts.sloImpact.status).not.toBe('measured')

    const path = `/api/postmortems/PM-${pm.number}`
    const first = await call(routes.one.PUT, path, { number: `PM-${pm.number}` }, { method: 'PUT', body: { version: 1, title: pm.title, content: { ...pm.content, summary: 'First save' } } })
    expect(first).toMatchObject({ status: 200, body: { postmortem: { version: 2 } } })
    const stale = await call(routes.one.PUT, path, { number: String(pm.number) }, { method: 'PUT', body: { version: 1, title: pm.title, content: { ...pm.content, summary: 'Stale save' } } })
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { current: { version: 2, content: { summary: 'First save' } } } } } })
    expect(stale.text).not.toMatch(/\.ts:\d+|\bstack\b/)
    const badContent = await call(routes.one.PUT, path, { number: String(pm.number) }, { method: 'PUT', body: { version: 2, title: pm.title, content: { ...pm.content, causeAreas: ['people'] } } })
    expect(badContent).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'content.causeAreas.0' }] } } })
    expect((await call(routes.one.GET, '/api/postmortems/PM-999999999', { number: 'PM-999999999' })).status).toBe(404)
  })

  it('exports markdown with every section and links, manages action items and comments over HTTP', async () => {
    state.context = rae
    const [pm] = (await call(routes.list.GET, `/api/postmortems?incident=${incidentNumber}`, {})).body.postmortems
    const item = await call(routes.items.POST, `/api/postmortems/${pm.number}/action-items`, { number: String(pm.number) }, { method: 'POST', body: { title: 'Page on length share', ownerId: eli.actor!.id, dueDate: '2000-01-01', priority: 'p0' } })
    expect(item).toMatchObject({ status: 201, body: { actionItem: { isOverdue: true, priority: 'p0', ownerName: 'Eli Editor' } } })
    const patched = await call(routes.item.PATCH, `/api/action-items/AI-${item.body.actionItem.number}`, { number: `AI-${item.body.actionItem.number}` }, { method: 'PATCH', body: { status: 'in_progress' } })
    expect(patched.body.actionItem.status).toBe('in_progress')
    expect((await call(routes.item.PATCH, '/api/action-items/1', { number: '1' }, { method: 'PATCH', body: { status: 'closed' } })).status).toBe(400)
    // a year the date column cannot hold is a 400 on the field, not a database error
    const yearZero = await call(routes.item.PATCH, `/api/action-items/${item.body.actionItem.number}`, { number: String(item.body.actionItem.number) }, { method: 'PATCH', body: { dueDate: '0000-11-22' } })
    expect(yearZero).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', issues: [{ path: 'dueDate', message: 'must be between 2000-01-01 and 2099-12-31' }] } } })
    const overdue = await call(routes.allItems.GET, '/api/action-items?overdue=1', {})
    expect(overdue.body.items.map((i: { number: number }) => i.number)).toContain(item.body.actionItem.number)
    expect(overdue.body.counts.overdue).toBeGreaterThanOrEqual(1)

    const comment = await call(routes.comments.POST, `/api/postmortems/${pm.number}/comments`, { number: String(pm.number) }, { method: 'POST', body: { section: 'impact', body: 'How many users?' } })
    expect(comment.status).toBe(201)
    expect((await call(routes.comments.POST, `/api/postmortems/${pm.number}/comments`, { number: String(pm.number) }, { method: 'POST', body: { section: 'gossip', body: 'x' } })).status).toBe(400)
    // comments of a postmortem that does not exist are a 404, not an empty list
    expect((await call(routes.comments.GET, '/api/postmortems/999999999/comments', { number: '999999999' })).status).toBe(404)

    state.context = viewer
    const exported = await call(routes.exported.GET, `/api/postmortems/${pm.number}/export`, { number: String(pm.number) })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-type')).toContain('text/markdown')
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="PM-${pm.number}.md"`)
    for (const heading of ['Summary', 'Facts', 'Timeline', 'Impact', 'Detection', 'Root cause and contributing factors', 'Trigger', 'Resolution', 'What went well', 'What went wrong', 'Where we got lucky', 'Lessons', 'Traced cases', 'Action items']) {
      expect(exported.text).toContain(`\n## ${heading}\n`)
    }
    // absolute links (NEXTAUTH_URL, else the request's origin), so the file works wherever it is pasted
    expect(exported.text).toMatch(new RegExp(`\\[INC-${incidentNumber}\\]\\(https?://[^)\\s]+/incidents/${incidentNumber}\\)`))
    expect(exported.text).toContain('Page on length share')

    state.context = rae
    const submit = await call(routes.status.POST, `/api/postmortems/${pm.number}/status`, { number: String(pm.number) }, { method: 'POST', body: { action: 'publish', version: 2 } })
    expect(submit).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } })
  })
})
