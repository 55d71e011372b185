/**
 * The classification wizard per scenario: every incident scenario (lib/telemetry/scenarios/incidents.ts) backfilled
 * into one real Prometheus (8 hours apart), its traces through the OTLP receiver into a fresh embedded PostgreSQL, its
 * alerts through the webhook intake. For each scenario and step: the proposed answer (right or wrong against the
 * scenario's true answer), its confidence, and the time to gather and evaluate the evidence: cold (a fresh
 * Prometheus adapter, nothing cached) and warm (through the panels' 15 s coalescing cache, as a second responder
 * opening the same step would).
 *
 *   npm run bench -- classify    or    npx tsx scripts/bench/classify.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startBackfilledPrometheus } from '@/e2e/support/observability'
import { allowedAnswers } from '@/lib/classify/evaluate'
import { gatherStep, type IncidentForClassification } from '@/lib/classify/gather'
import { STEPS, type Step } from '@/lib/classify/rules'
import { ingestAlertmanagerWebhook } from '@/lib/alerts/intake'
import { DEFAULT_ALERT_MAPPING } from '@/lib/alerts/mapping'
import { DEFAULT_FLEET_CONFIG } from '@/lib/fleet/config'
import { findFailureClass } from '@/lib/taxonomy'
import { CoalescingMetricsSource } from '@/lib/telemetry/coalesce'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { INCIDENT_SCENARIOS } from '@/lib/telemetry/scenarios/incidents'
import { generateSeries, mergeSeries, placeApart, scenarioStart } from '@/lib/telemetry/scenarios/model'
import { SCENARIO_TRACE_CONFIG, scenarioTraces, toOtlpJson } from '@/lib/telemetry/scenarios/traces'
import { serveFetchHandler } from '@/lib/traces/otlp/http-server'
import { IngestGate } from '@/lib/traces/otlp/gate'
import { parseOtlpLimits } from '@/lib/traces/otlp/config'
import { createOtlpPool } from '@/lib/traces/otlp/pool'
import { handleOtlpTraces } from '@/lib/traces/otlp/receiver'
import { StoredTraceSource } from '@/lib/traces/store/source'
import { webhookFor } from '@/prisma/demo-incidents'
import { startDatabase, type BenchDatabase } from './app'
import { ms, note, percentile, progress, report, section } from './report'

const SPACING_MS = 8 * 3_600_000
const TOKEN = 'fbk_otlp_benchmark-classify-token-not-secret'
const TARGET_MS = 2_000

export async function classify(database: BenchDatabase) {
  section('Classification wizard, per scenario (npm run bench -- classify)')
  const now = Math.floor(Date.now() / 60_000) * 60_000
  const placed = placeApart(INCIDENT_SCENARIOS, new Date(now), SPACING_MS)
  progress(`backfilling ${placed.length} scenarios into Prometheus`)
  const prometheus = await startBackfilledPrometheus({ series: mergeSeries(placed.flatMap((p) => generateSeries(p.scenario, p.end))) })
  const pool = createOtlpPool(database.url, 2)
  const receiver = await serveFetchHandler((request) =>
    handleOtlpTraces(request, {
      db: pool,
      // the benchmark's own token; the route checks lib/tokens' hashed ingest tokens instead
      authenticate: async (authorization) => {
        if (authorization !== `Bearer ${TOKEN}`) throw new Error('wrong benchmark token')
      },
      limits: parseOtlpLimits({}),
      gate: new IngestGate({ maxInflightRequests: 8, maxInflightBytes: 64 * 1_048_576, maxConcurrentWrites: 2, maxQueuedSpans: 100_000 }),
      prune: false,
    }),
  )
  const traces = new StoredTraceSource(database.db)
  const cold = () => new PrometheusSource({ url: prometheus.url, timeoutMs: 10_000 })
  const cached = new CoalescingMetricsSource(cold(), 15_000)
  const rows: { id: string; step: Step; expected: string; proposed: string | null; confidence: number; coldMs: number; warmMs: number }[] = []
  try {
    for (const p of placed) {
      const response = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(toOtlpJson(scenarioTraces(p.scenario, p.end))) })
      if (response.status !== 200) throw new Error(`the OTLP receiver answered ${response.status} for ${p.scenario.id}`)
      const webhook = webhookFor({ scenario: p.scenario, startsAt: scenarioStart(p.scenario, p.end), response: { status: 'triggered', notes: [] } }, p.end)!
      const intake = await ingestAlertmanagerWebhook(database.db, { ...webhook, groupKey: `${webhook.groupKey}/bench` }, DEFAULT_ALERT_MAPPING)
      const row = await database.db.incident.findUniqueOrThrow({ where: { id: intake.incidentId }, select: { number: true, pipeline: true, models: true, startedAt: true, resolvedAt: true } })
      const alerts = await database.db.alert.findMany({ where: { incidentId: intake.incidentId }, select: { labels: true, status: true } })
      const incident: IncidentForClassification = { ...row, alerts: alerts.map((a) => ({ labels: a.labels as Record<string, string>, status: a.status })) }
      const cls = findFailureClass(p.scenario.failureClass!)!
      const expected: Record<Step, string> = { errorState: cls.errorState, pathway: cls.pathway, failureClass: cls.id }
      const prior: { errorState?: string | null; pathway?: string | null } = {}
      progress(`classifying ${p.scenario.id}`)
      for (const step of STEPS) {
        const options = (metrics: PrometheusSource | CoalescingMetricsSource) => ({
          metrics,
          traces: [traces],
          fleet: DEFAULT_FLEET_CONFIG,
          traceConfig: SCENARIO_TRACE_CONFIG,
          now: p.end,
          evaluate: { allowed: allowedAnswers(step, prior) },
        })
        const started = performance.now()
        const result = await gatherStep(step, incident, options(cold()))
        const coldMs = performance.now() - started
        await gatherStep(step, incident, options(cached)) // fills the cache
        const warmStarted = performance.now()
        await gatherStep(step, incident, options(cached))
        const warmMs = performance.now() - warmStarted
        rows.push({ id: p.scenario.id, step, expected: expected[step], proposed: result.proposal.answer, confidence: result.proposal.confidence, coldMs, warmMs })
        if (step === 'errorState') prior.errorState = result.proposal.answer
        if (step === 'pathway') prior.pathway = result.proposal.answer
      }
    }
  } finally {
    await receiver.close()
    await pool.end()
    await prometheus.stop()
  }

  process.stdout.write(`\n  ${'scenario'.padEnd(28)} ${'step'.padEnd(13)} ${'proposed'.padEnd(28)} ${'conf.'.padStart(5)} ${'cold'.padStart(8)} ${'warm'.padStart(8)}\n`)
  for (const r of rows) {
    const mark = r.proposed === r.expected ? '✓' : `✗ (true: ${r.expected})`
    process.stdout.write(`  ${r.id.padEnd(28)} ${r.step.padEnd(13)} ${`${r.proposed ?? "don't know"} ${mark}`.padEnd(28)} ${`${Math.round(r.confidence * 100)}%`.padStart(5)} ${ms(r.coldMs).padStart(8)} ${ms(r.warmMs).padStart(8)}\n`)
  }
  const right = rows.filter((r) => r.proposed === r.expected).length
  const scenariosRight = INCIDENT_SCENARIOS.filter((s) => rows.filter((r) => r.id === s.id).every((r) => r.proposed === r.expected)).length
  const colds = rows.map((r) => r.coldMs)
  report('scenarios right at every step (top-1)', `${scenariosRight} of ${INCIDENT_SCENARIOS.length}`, `all ${INCIDENT_SCENARIOS.length}`)
  report('steps right', `${right} of ${rows.length}`)
  report('evidence ready per step, cold (p50 / p95 / max)', `${ms(percentile(colds, 50))} / ${ms(percentile(colds, 95))} / ${ms(Math.max(...colds))}`, `< ${ms(TARGET_MS)}`)
  report('evidence ready per step, warm cache (p50)', ms(percentile(rows.map((r) => r.warmMs), 50)))
  report('lowest confidence of a right proposal', `${Math.round(Math.min(...rows.filter((r) => r.proposed === r.expected).map((r) => r.confidence)) * 100)} %`)
  note('cold: a new Prometheus adapter per step, so every query reaches Prometheus; warm: the same step again within 15 s through the coalescing cache')
  note(`one local Prometheus 2 (Debian) with ${INCIDENT_SCENARIOS.length} scenarios backfilled; traces from the OTLP receiver's store in PostgreSQL`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-classify-'))
  startDatabase(dir)
    .then(async (database) => {
      try {
        await classify(database)
      } finally {
        await database.stop()
      }
    })
    .catch((error) => {
      console.error(error)
      process.exitCode = 1
    })
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }))
}
