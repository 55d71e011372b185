/**
 * The wizard on every incident scenario, end to end below the browser: each scenario's series backfilled into a real
 * Prometheus 2, its traces sent through the OTLP receiver over HTTP into PostgreSQL, its alerts through the
 * Alertmanager webhook intake. At each step the proposal must be the scenario's true answer (from its failure class
 * via the taxonomy), and the decision must open that class's runbook. Then Prometheus is stopped: the wizard still
 * answers, says which evidence is missing, and is less sure. On a realistic healthy fleet (HEALTHY_FLEET) it says
 * "don't know" rather than propose a failure.
 *
 * The scenarios share one Prometheus and one database, placed 8 hours apart so no window sees another's data.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import { ingestAlertmanagerWebhook } from '@/lib/alerts/intake'
import { DEFAULT_ALERT_MAPPING } from '@/lib/alerts/mapping'
import type { RequestContext } from '@/lib/auth/context'
import { findFailureClass } from '@/lib/taxonomy'
import { EXTRA_SCENARIOS, GPU_OOM_AFTER_EARLIER_OOM_KILL, HEALTHY_FLEET, INCIDENT_SCENARIOS } from '@/lib/telemetry/scenarios/incidents'
import { generateSeries, mergeSeries, placeApart, scenarioStart, type Scenario } from '@/lib/telemetry/scenarios/model'
import { SCENARIO_TRACE_CONFIG, scenarioTraces, toOtlpJson } from '@/lib/telemetry/scenarios/traces'
import { parseOtlpLimits } from '@/lib/traces/otlp/config'
import { IngestGate } from '@/lib/traces/otlp/gate'
import { serveFetchHandler, type ServedHandler } from '@/lib/traces/otlp/http-server'
import { createOtlpPool } from '@/lib/traces/otlp/pool'
import { handleOtlpTraces } from '@/lib/traces/otlp/receiver'
import { authenticateIngestToken } from '@/lib/tokens'
import { hashToken } from '@/lib/tokens/hash'
import { useTestDatabase } from '@/tests/db'
import { webhookFor } from '@/prisma/demo-incidents'
import { DEFAULT_FLEET_CONFIG } from '@/lib/fleet/config'
import { DemoMetricsSource } from '@/lib/telemetry/demo/demo-source'
import { GeneratedSeriesStore } from '@/lib/telemetry/demo/store'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { StoredTraceSource } from '@/lib/traces/store/source'
import { DEFAULT_CLASSIFY_CONFIG } from './config'
import { gatherStep } from './gather'
import { proposeForIncident, recordClassification } from './service'
import { STEPS, type Step } from './rules'

const SPACING_MS = 8 * 3_600_000
/** every scenario backfilled: one per failure class, then the healthy fleet and the regressions */
const BACKFILLED = [...INCIDENT_SCENARIOS, ...EXTRA_SCENARIOS]
const run = randomUUID().slice(0, 8)

function truth(scenario: Scenario): Record<Step, string> {
  const cls = findFailureClass(scenario.failureClass!)!
  return { errorState: cls.errorState, pathway: cls.pathway, failureClass: cls.id }
}

describe('the classification wizard on every incident scenario (real Prometheus, OTLP receiver, webhook intake)', () => {
  const { db, url: databaseUrl } = useTestDatabase()
  const pool = createOtlpPool(databaseUrl, 2)
  const token = `fbk_otlp_${randomUUID()}`
  const responder: RequestContext = { actor: { id: `classify-${run}`, email: `classify-${run}@example.com`, name: 'Wizard Responder', role: 'responder' } }
  const viewer: RequestContext = { actor: { id: `classify-viewer-${run}`, email: `classify-viewer-${run}@example.com`, name: 'Wizard Viewer', role: 'viewer' } }
  let prometheus: RunningServer | null = null
  let receiver: ServedHandler
  const placed: { scenario: Scenario; end: Date; incident: number }[] = []
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-classify-'))
  const saved = { PROMETHEUS_URL: process.env.PROMETHEUS_URL, FIREBREAK_CONFIG: process.env.FIREBREAK_CONFIG }

  beforeAll(async () => {
    // the misrouting detector needs the team's routing rules; the rest is the default configuration
    const configFile = path.join(configDir, 'firebreak.config.json')
    fs.writeFileSync(configFile, JSON.stringify({ traces: { detectors: { routing: { rules: SCENARIO_TRACE_CONFIG.detectors.routing.rules } }, modelContextWindows: SCENARIO_TRACE_CONFIG.modelContextWindows } }))
    process.env.FIREBREAK_CONFIG = configFile

    const now = Math.floor(Date.now() / 60_000) * 60_000
    for (const p of placeApart(BACKFILLED, new Date(now), SPACING_MS)) placed.push({ ...p, incident: 0 })
    prometheus = await startBackfilledPrometheus({ series: mergeSeries(placed.flatMap((p) => generateSeries(p.scenario, p.end))) })
    process.env.PROMETHEUS_URL = prometheus.url

    await db.ingestToken.create({ data: { name: `classify ${run}`, kind: 'otlp', tokenHash: hashToken(token), prefix: token.slice(0, 16) } })
    receiver = await serveFetchHandler((request) =>
      handleOtlpTraces(request, {
        db: pool,
        authenticate: (authorization, from) => authenticateIngestToken(authorization, 'otlp', from),
        limits: parseOtlpLimits({}),
        gate: new IngestGate({ maxInflightRequests: 8, maxInflightBytes: 64 * 1_048_576, maxConcurrentWrites: 2, maxQueuedSpans: 100_000 }),
        prune: false,
      }),
    )
    for (const p of placed) {
      const response = await fetch(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(toOtlpJson(scenarioTraces(p.scenario, p.end))),
      })
      expect(response.status, p.scenario.id).toBe(200)
      const webhook = webhookFor({ scenario: p.scenario, startsAt: scenarioStart(p.scenario, p.end), response: { status: 'triggered', notes: [] } }, p.end)!
      const result = await ingestAlertmanagerWebhook(db, { ...webhook, groupKey: `${webhook.groupKey}/${run}` }, DEFAULT_ALERT_MAPPING)
      p.incident = (await db.incident.findUniqueOrThrow({ where: { id: result.incidentId }, select: { number: true } })).number
    }
  }, 240_000)

  afterAll(async () => {
    await receiver?.close()
    await pool.end()
    await prometheus?.stop()
    await db.$disconnect()
    fs.rmSync(configDir, { recursive: true, force: true })
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
    else process.env[k] = v
  })

  /** The wizard as a responder walks it: each step's proposal confirmed, each next step asked given the answers so far. */
  async function walk(p: (typeof placed)[number]) {
    const steps: Record<string, Awaited<ReturnType<typeof proposeForIncident>>> = {}
    const prior: { errorState?: string | null; pathway?: string | null } = {}
    for (const step of STEPS) {
      steps[step] = await proposeForIncident(responder, p.incident, step, { ...prior }, p.end)
      if (step === 'errorState') prior.errorState = steps[step].proposal.answer
      if (step === 'pathway') prior.pathway = steps[step].proposal.answer
    }
    return steps
  }

  it.each(INCIDENT_SCENARIOS.map((s) => ({ id: s.id })))('$id: the proposal at each step is the true answer, and its runbook opens', async ({ id }) => {
    const p = placed.find((x) => x.scenario.id === id)!
    const expected = truth(p.scenario)
    const steps = await walk(p)
    for (const step of STEPS) {
      const s = steps[step]
      const why = `${id} ${step}: proposed ${s.proposal.answer} (${s.proposal.confidence.toFixed(2)}), ranked ${s.proposal.ranked.map((r) => `${r.answer}:${r.confidence.toFixed(2)}`).join(' ')}; notes ${s.notes.join(' | ')}`
      expect(s.proposal.answer, why).toBe(expected[step])
      expect(s.backends.metrics.state, why).toBe('ok')
      expect(s.proposal.ranked[0].reasons.length, why).toBeGreaterThan(0)
    }
    const decided = await recordClassification(responder, p.incident, {
      basedOnRevision: 0,
      steps: STEPS.map((step) => ({ step, answer: steps[step].proposal.answer, gatherId: steps[step].gatherId })),
    })
    expect(decided.failureClass).toBe(expected.failureClass)
    expect(decided.runbook.href).toBe(`/runbooks/${expected.failureClass}?incident=${p.incident}`)
    expect(fs.existsSync(path.join(process.cwd(), 'runbooks', `${expected.failureClass}.md`))).toBe(true)
  })

  it('a healthy fleet (generator and judge, vLLM at 95 % GPU memory, a cold start, an old XID, a dead-letter trickle) gets "don\'t know", not a failure', async () => {
    const p = placed.find((x) => x.scenario.id === HEALTHY_FLEET.id)!
    const steps = await walk(p)
    const describe = (step: Step) => {
      const s = steps[step]
      return `${step}: proposed ${s.proposal.answer} (${s.proposal.confidence.toFixed(2)}), ranked ${s.proposal.ranked.map((r) => `${r.answer}:${r.confidence.toFixed(2)}`).join(' ')}; holds ${s.evidence.filter((e) => e.status === 'holds').map((e) => `${e.ruleId}=${e.value}`).join(' ')}`
    }
    const es = steps.errorState
    expect(es.backends.metrics.state).toBe('ok')
    expect(es.proposal.answer, describe('errorState')).toBeNull()
    expect(es.proposal.confidence, describe('errorState')).toBeLessThan(DEFAULT_CLASSIFY_CONFIG.minConfidence)
    expect(es.proposal.dontKnow?.runbook).toBe('triage')
    // walked on from "don't know", no failure class is proposed either
    expect(steps.failureClass.proposal.answer, describe('failureClass')).toBeNull()
    expect(steps.failureClass.proposal.confidence, describe('failureClass')).toBeLessThan(DEFAULT_CLASSIFY_CONFIG.minConfidence)
    // what the review found firing on a healthy fleet is observed (not missing) and does not hold
    const quiet: [Step, string][] = [
      ['errorState', 'es-silent-before-first-request'],
      ['errorState', 'es-gpu-memory-peak'],
      ['errorState', 'es-model-version-changed'],
      ['errorState', 'es-queue-stalled'],
      ['pathway', 'pw-xid-errors'],
      ['pathway', 'pw-silent-before-first-request'],
      ['failureClass', 'fc-gpu-memory-peak'],
      ['failureClass', 'fc-xid-errors'],
      ['failureClass', 'fc-model-version-changed'],
      ['failureClass', 'fc-queue-stalled'],
      ['failureClass', 'fc-silent-before-first-request'],
    ]
    for (const [step, ruleId] of quiet) {
      const e = steps[step].evidence.find((x) => x.ruleId === ruleId)!
      expect(e.status, `${ruleId} = ${e.value}; ${describe(step)}`).toBe('doesNotHold')
    }
    // the prompt-length rule is measured (vLLM's histogram, max_model_len 16384): one prompt in 800 over 10000 tokens
    for (const [step, ruleId] of [
      ['pathway', 'pw-prompt-near-context'],
      ['failureClass', 'fc-prompt-near-context'],
    ] as const) {
      const e = steps[step].evidence.find((x) => x.ruleId === ruleId)!
      expect(e.status, `${ruleId} = ${e.value}`).toBe('doesNotHold')
      expect(e.value).toBeGreaterThan(0)
      expect(e.query).toContain('le=~"10000(\\\\.0)?"')
    }
    // one version of each of the two models
    expect(steps.failureClass.evidence.find((x) => x.ruleId === 'fc-model-version-stable')).toMatchObject({ status: 'holds', value: 1 })
  })

  it('H2 regression: a CUDA OOM (reason Error) after an older kernel OOM kill is gpu-oom, not container-oom-killed', async () => {
    const p = placed.find((x) => x.scenario.id === GPU_OOM_AFTER_EARLIER_OOM_KILL.id)!
    const steps = await walk(p)
    for (const [step, ruleId] of [
      ['errorState', 'es-oom-killed'],
      ['pathway', 'pw-oom-killed'],
      ['failureClass', 'fc-oom-killed'],
    ] as const)
      expect(steps[step].evidence.find((e) => e.ruleId === ruleId), ruleId).toMatchObject({ status: 'doesNotHold', value: 0 })
    const fc = steps.failureClass.proposal
    expect(fc.answer, fc.ranked.map((r) => `${r.answer}:${r.confidence.toFixed(2)}`).join(' ')).toBe('gpu-oom')
    expect(fc.ranked.find((a) => a.answer === 'container-oom-killed')?.confidence ?? 0).toBeLessThan(DEFAULT_CLASSIFY_CONFIG.minConfidence)
  })

  it('records the decision with its evidence and decider on the incident and its timeline, and keeps history on revision', async () => {
    const p = placed.find((x) => x.scenario.id === 'gpu-oom')!
    const incident = await db.incident.findFirstOrThrow({ where: { number: p.incident }, include: { classifications: { orderBy: { revision: 'asc' } }, timeline: { where: { kind: 'classification' } } } })
    expect(incident).toMatchObject({ errorState: 'runtime', pathway: 'infrastructure', failureClass: 'gpu-oom' })
    expect(incident.classifications).toHaveLength(1)
    expect(incident.classifications[0].decidedByName).toBe('Wizard Responder')
    const [entry] = incident.timeline
    expect(entry.body).toMatch(/^Classified: Runtime \(\d+ % confidence\) → infrastructure/)
    const recorded = (entry.data as { steps: { step: string; evidence: { ruleId: string; status: string; value: number | null }[] }[] }).steps
    const peak = recorded.find((s) => s.step === 'failureClass')!.evidence.find((e) => e.ruleId === 'fc-gpu-memory-peak')!
    expect(peak.status).toBe('holds')
    expect(peak.value).toBeGreaterThan(0.95)

    // a second responder revises it to "don't know" at the class: history is kept, the incident shows the latest
    const steps = await walk(p)
    // someone who opened the wizard before the first decision cannot overwrite it unseen
    await expect(
      recordClassification(responder, p.incident, { basedOnRevision: 0, steps: [{ step: 'errorState', answer: null, gatherId: steps.errorState.gatherId }] }),
    ).rejects.toMatchObject({ code: 'conflict' })
    const revised = await recordClassification(responder, p.incident, {
      basedOnRevision: 1,
      steps: [
        { step: 'errorState', answer: 'runtime', gatherId: steps.errorState.gatherId },
        { step: 'pathway', answer: 'infrastructure', gatherId: steps.pathway.gatherId },
        { step: 'failureClass', answer: null, gatherId: steps.failureClass.gatherId },
      ],
    })
    expect(revised).toMatchObject({ revision: 2, failureClass: null, runbook: { id: 'triage' } })
    const after = await db.incident.findFirstOrThrow({ where: { number: p.incident }, include: { classifications: true } })
    expect(after.failureClass).toBeNull()
    expect(after.classifications.map((c) => c.revision).sort()).toEqual([1, 2])
  })

  it('refuses answers that do not fit the taxonomy, and viewers, without recording anything', async () => {
    const p = placed.find((x) => x.scenario.id === 'token-budget-exhaustion')!
    const before = await db.incidentClassification.count({ where: { incident: { number: p.incident } } })
    await expect(
      recordClassification(responder, p.incident, {
        basedOnRevision: before,
        steps: [
          { step: 'errorState', answer: 'loading' },
          { step: 'pathway', answer: 'model' },
          { step: 'failureClass', answer: 'gpu-oom' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'bad_request' })
    await expect(recordClassification(viewer, p.incident, { basedOnRevision: before, steps: [{ step: 'errorState', answer: null }] })).rejects.toMatchObject({ code: 'forbidden' })
    expect(await db.incidentClassification.count({ where: { incident: { number: p.incident } } })).toBe(before)
  })

  it('the demo evaluator gives the wizard the same evidence as Prometheus, on every scenario and step', async () => {
    const demo = new DemoMetricsSource(new GeneratedSeriesStore(mergeSeries(placed.flatMap((p) => generateSeries(p.scenario, p.end)))), { defaultSubqueryStepSeconds: 15 })
    const real = new PrometheusSource({ url: prometheus!.url })
    const traces = [new StoredTraceSource(db)]
    const differences: string[] = []
    for (const p of placed) {
      const incident = await db.incident.findFirstOrThrow({ where: { number: p.incident }, include: { alerts: true } })
      const facts = { ...incident, alerts: incident.alerts.map((a) => ({ labels: a.labels as Record<string, string>, status: a.status })) }
      for (const step of STEPS) {
        const options = { traces, fleet: DEFAULT_FLEET_CONFIG, traceConfig: SCENARIO_TRACE_CONFIG, now: p.end, timeoutMs: 30_000 }
        const [d, r] = [await gatherStep(step, facts, { ...options, metrics: demo }), await gatherStep(step, facts, { ...options, metrics: real })]
        for (const e of r.evidence) {
          const other = d.evidence.find((x) => x.ruleId === e.ruleId)!
          const same = e.value === other.value || (e.value !== null && other.value !== null && Math.abs(e.value - other.value) <= 1e-6 * Math.max(1, Math.abs(e.value)))
          if (!same || e.status !== other.status) differences.push(`${p.scenario.id} ${e.ruleId}: Prometheus ${e.value} (${e.status}), demo ${other.value} (${other.status})`)
        }
      }
    }
    expect(differences).toEqual([])
  }, 180_000)

  it('with Prometheus down, still answers from alerts and traces, names the missing evidence, and is less sure', async () => {
    const p = placed.find((x) => x.scenario.id === 'misrouting')!
    const up = await proposeForIncident(responder, p.incident, 'errorState', {}, p.end)
    await prometheus!.stop()
    prometheus = null
    // a minute later: the panel cache (15 s) holds nothing for this moment, so the wizard asks Prometheus again
    const down = await proposeForIncident(responder, p.incident, 'errorState', {}, new Date(p.end.getTime() + 60_000))
    expect(down.backends.metrics.state).toBe('down')
    expect(down.downSince.metrics).not.toBeNull()
    expect(down.notes.join(' ')).toMatch(/Prometheus is unavailable/)
    expect(down.evidence.filter((e) => e.source === 'prometheus').every((e) => e.status === 'missing')).toBe(true)
    // the traces still point at routing; with most of the step's evidence unseen the wizard is less sure, and may say
    // "don't know" (with the triage runbook) rather than propose it
    const why = `down: ${down.proposal.answer} (${down.proposal.confidence.toFixed(2)}, step coverage ${down.proposal.stepCoverage.toFixed(2)}), up: ${up.proposal.answer} (${up.proposal.confidence.toFixed(2)})`
    expect(up.proposal.answer, why).toBe('routing')
    expect(down.proposal.ranked[0].answer, why).toBe('routing')
    expect(down.proposal.ranked[0].reasons.map((r) => r.ruleId), why).toContain('es-misrouting-trace')
    expect(down.proposal.confidence, why).toBeLessThan(up.proposal.confidence)
    expect(down.proposal.stepCoverage, why).toBeLessThan(up.proposal.stepCoverage)
    if (down.proposal.answer === null) expect(down.proposal.dontKnow?.runbook).toBe('triage')
    else expect(down.proposal.answer, why).toBe('routing')
    expect(down.proposal.missing.length).toBeGreaterThan(0)
  })
})
