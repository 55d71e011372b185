import 'server-only'
import type { PrismaClient } from '@/lib/db'
import { logger } from '@/lib/logger'
import { incidentBudgetImpact } from '@/lib/review/impact'
import { impactWindow } from '@/lib/review/period'
import { extractChecklist, parseRunbook } from '@/lib/runbooks/parse'
import { toStoredSlo } from '@/lib/slo/service'
import { getMetricsSource, type MetricsSource } from '@/lib/telemetry'
import { buildFacts, MAX_FACT_ALERTS, summarizeImpact, type PostmortemFacts, type SloImpactFacts } from './facts'

export interface FactsDependencies {
  /** the metrics backend; undefined means the configured one (lib/telemetry), null means none */
  metrics?: MetricsSource | null
  now?: Date
  /** how long the SLO impact may take before the postmortem is created without it */
  impactTimeoutMs?: number
}

const DEFAULT_IMPACT_TIMEOUT_MS = 20_000

/**
 * The error budget each SLO of the incident's pipeline lost during the incident. Never throws and never waits past
 * the timeout: a metrics backend that is down or slow must not stop a postmortem, it is recorded as the reason.
 */
async function measureImpact(db: PrismaClient, pipeline: string | null, window: { start: Date; end: Date }, deps: FactsDependencies): Promise<SloImpactFacts> {
  if (!pipeline) return { ...summarizeImpact({ source: null, window, slos: [] }), reason: 'The incident names no pipeline, so no SLO is charged with it.' }
  const rows = await db.slo.findMany({ where: { service: pipeline }, orderBy: { name: 'asc' }, take: 50 })
  if (rows.length === 0) return { ...summarizeImpact({ source: null, window, slos: [] }), reason: `No SLO has service “${pipeline}”, so none is charged with this incident.` }
  const source = deps.metrics === undefined ? getMetricsSource() : deps.metrics
  if (!source) return summarizeImpact({ source: null, window, slos: [], reason: 'No metrics backend is configured (PROMETHEUS_URL): the error budget consumed could not be measured.' })
  const slos = rows.map(toStoredSlo)
  const timeoutMs = deps.impactTimeoutMs ?? DEFAULT_IMPACT_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  try {
    const impact = await Promise.race([
      incidentBudgetImpact(source, slos, window),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs)
      }),
    ])
    if (impact === 'timeout') {
      return summarizeImpact({ source: source.name, window, slos: [], reason: `${source.name} did not answer within ${Math.round(timeoutMs / 1000)} s; refresh the facts when it is back.` })
    }
    return summarizeImpact({ source: source.name, window, slos: impact })
  } catch (error) {
    logger.warn('postmortem SLO impact could not be measured', { pipeline, error })
    return summarizeImpact({ source: source.name, window, slos: [], reason: `${source.name} could not be queried: ${error instanceof Error ? error.message : String(error)}` })
  } finally {
    clearTimeout(timer)
  }
}

/** Everything Firebreak knows about the incident, as the facts snapshot. */
export async function gatherFacts(db: PrismaClient, incidentId: string, deps: FactsDependencies = {}): Promise<PostmortemFacts> {
  const now = deps.now ?? new Date()
  const incident = await db.incident.findUniqueOrThrow({ where: { id: incidentId }, include: { commander: { select: { name: true } } } })
  const [classification, ticks, alerts, alertTotal, alertFiring] = await Promise.all([
    db.incidentClassification.findFirst({ where: { incidentId }, orderBy: { revision: 'desc' } }),
    db.checklistTick.findMany({ where: { incidentId }, orderBy: { at: 'asc' }, take: 1_000 }),
    db.alert.findMany({ where: { incidentId }, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }], take: MAX_FACT_ALERTS }),
    db.alert.count({ where: { incidentId } }),
    db.alert.count({ where: { incidentId, status: 'firing' } }),
  ])
  const runbookIds = [...new Set(ticks.map((t) => t.runbookId))]
  const runbookRows = runbookIds.length ? await db.runbook.findMany({ where: { id: { in: runbookIds } }, select: { id: true, title: true, publishedRevision: true } }) : []
  const runbooks = await Promise.all(
    runbookRows.map(async (r) => {
      const revision = r.publishedRevision === null ? null : await db.runbookRevision.findUnique({ where: { runbookId_number: { runbookId: r.id, number: r.publishedRevision } }, select: { content: true } })
      const parsed = revision ? parseRunbook(revision.content) : null
      return { id: r.id, title: r.title, checklistKeys: parsed?.ok ? extractChecklist(parsed.body).map((i) => i.key) : null }
    }),
  )
  const sloImpact = await measureImpact(db, incident.pipeline, impactWindow(incident, now), deps)
  return buildFacts({
    capturedAt: now,
    incident: { ...incident, severity: String(incident.severity), status: String(incident.status), commanderName: incident.commander?.name ?? null },
    classification,
    ticks,
    runbooks,
    alerts,
    alertTotal,
    alertFiring,
    sloImpact,
  })
}
