import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RequestContext } from '@/lib/auth/context'
import { useTestDatabase } from '@/tests/db'
import { sloInputSchema } from './schemas'
import { createSlo, deleteSlo, getSlo, importSlos, listSlos, updateSlo } from './service'

const EXAMPLES = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/openslo/llm-inference.yaml'), 'utf8')
const editor: RequestContext = { actor: { id: 'slo-editor', email: 'slo-editor@example.com', name: 'Sam Editor', role: 'editor' } }
const responder: RequestContext = { actor: { id: 'slo-responder', email: 'slo-responder@example.com', name: 'Rita Responder', role: 'responder' } }

describe('SLO definitions', () => {
  const { db } = useTestDatabase()
  afterAll(() => db.$disconnect())

  it('imports every SLO of a file, and a second import updates instead of duplicating', async () => {
    // the integration run shares one database between files: start from no SLOs
    await db.slo.deleteMany()
    await db.user.createMany({ data: [{ id: 'slo-editor', email: 'slo-editor@example.com', name: 'Sam Editor', role: 'editor' }], skipDuplicates: true })
    const first = await importSlos(editor, EXAMPLES)
    expect(first.created.sort()).toEqual(['doc-qa-availability', 'gpu-memory-headroom', 'rag-chat-availability', 'rag-chat-ttft', 'summarizer-complete-answers'])
    const again = await importSlos(editor, EXAMPLES)
    expect(again).toEqual({ created: [], updated: expect.arrayContaining(['rag-chat-availability']) })
    expect(await db.slo.count()).toBe(5)
    expect((await getSlo(editor, 'rag-chat-availability')).version).toBe(2)
    expect(await db.auditEvent.count({ where: { action: 'slo.import' } })).toBe(10)
  })

  it('imports nothing from a file with one bad SLO among good ones, and says where', async () => {
    const bad = `${EXAMPLES}---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: Not_A_Dns_Label
spec:
  service: x
  indicator:
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: up
  timeWindow:
    - duration: 7d
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      op: gt
      value: 0
`
    const before = await db.slo.findMany({ orderBy: { name: 'asc' } })
    await expect(importSlos(editor, bad.replaceAll('rag-chat-ttft', 'rag-chat-ttft-new'))).rejects.toMatchObject({
      code: 'bad_request',
      options: { issues: [{ path: expect.stringMatching(/^line \d+: metadata\.name$/), message: expect.stringContaining('DNS label') }] },
    })
    expect(await db.slo.findMany({ orderBy: { name: 'asc' } })).toEqual(before)
  })

  it('keeps both editors’ intent: the second save from the same version is refused with the current definition', async () => {
    const slo = await getSlo(editor, 'summarizer-complete-answers')
    const input = sloInputSchema.parse({ ...slo, objective: 0.97 })
    const saved = await updateSlo(editor, slo.name, { ...input, version: slo.version })
    expect(saved).toMatchObject({ objective: 0.97, version: slo.version + 1 })
    await expect(updateSlo(editor, slo.name, { ...input, objective: 0.9, version: slo.version })).rejects.toMatchObject({ code: 'conflict', options: { details: { current: { objective: 0.97 } } } })
    expect((await getSlo(editor, slo.name)).objective).toBe(0.97)
  })

  it('lets only SLO writers change definitions, checked in lib/', async () => {
    const input = sloInputSchema.parse({ name: 'responder-slo', displayName: 'x', service: 'x', objective: 0.99, periodDays: 7, sli: { kind: 'threshold', query: 'up', op: 'gt', value: 0 } })
    await expect(createSlo(responder, input)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(importSlos(responder, EXAMPLES)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(deleteSlo(responder, 'rag-chat-ttft')).rejects.toMatchObject({ code: 'forbidden' })
    expect((await listSlos(responder)).length).toBe(5)
  })

  it('refuses a duplicate name with a clear message', async () => {
    const input = sloInputSchema.parse({ name: 'rag-chat-ttft', displayName: 'x', service: 'x', objective: 0.99, periodDays: 7, sli: { kind: 'threshold', query: 'up', op: 'gt', value: 0 } })
    await expect(createSlo(editor, input)).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringContaining('already exists') })
  })

  it('validates SLI queries as PromQL with the window placeholder', () => {
    const result = sloInputSchema.safeParse({ name: 'x', displayName: 'x', service: 'x', objective: 0.999, periodDays: 30, sli: { kind: 'ratio', badQuery: 'sum(rate(errors[{{.window}}])', totalQuery: 'sum(rate(requests[5m]))' } })
    expect(result.success).toBe(false)
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(messages).toEqual([expect.stringMatching(/^sli\.badQuery: is not valid PromQL/), expect.stringMatching(/^sli\.totalQuery: write the range as \[\{\{\.window\}\}\]/)])
  })
})
