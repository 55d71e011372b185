import 'server-only'
import { randomUUID } from 'node:crypto'
import { recordAudit } from '@/lib/audit'
import type { RequestContext } from '@/lib/auth/context'
import { requirePermission } from '@/lib/auth/guard'
import { getDb, Prisma } from '@/lib/db'
import { AppError } from '@/lib/errors'
import { getFileConfig } from '@/lib/config'
import { findFailureClass, TRIAGE_RUNBOOK_ID } from '@/lib/taxonomy'
import { alignToInterval, backendHealth, getMetricsSource, PANEL_REFRESH_MS } from '@/lib/telemetry'
import { getTraceSources } from '@/lib/traces/sources'
import { getClassifyConfig } from './config'
import { allowedAnswers } from './evaluate'
import { gatherStep, type GatheredStep, type IncidentForClassification } from './gather'
import type { RecordedStep } from './record'
import { DEFAULT_RULES, STEP_ANSWERS, STEPS, type Step } from './rules'
import { decisionSummary, type ClassificationInput } from './schemas'

/** What the wizard shows for one step: the gathered evidence, plus a handle to record it as it was. */
export interface WizardStep extends GatheredStep {
  gatherId: string
  allowed: readonly string[]
  /** "down since" per backend that failed, for the panel */
  downSince: { metrics: string | null; traces: string | null }
}

/** Gathered steps kept for the decision, so the timeline records what the responder saw. Per process, 30 min. */
const KEEP_MS = 30 * 60_000
const globalForGathered = globalThis as unknown as { firebreakGathered?: Map<string, { at: number; incidentId: string; step: GatheredStep }> }
const gathered = (globalForGathered.firebreakGathered ??= new Map())

function remember(incidentId: string, step: GatheredStep): string {
  const now = Date.now()
  for (const [id, entry] of gathered) if (now - entry.at > KEEP_MS) gathered.delete(id)
  if (gathered.size > 2_000) gathered.delete(gathered.keys().next().value!)
  const id = randomUUID()
  gathered.set(id, { at: now, incidentId, step })
  return id
}

async function loadIncident(number: number): Promise<IncidentForClassification & { id: string; errorState: string | null; pathway: string | null; failureClass: string | null }> {
  const incident = await getDb().incident.findUnique({
    where: { number },
    select: { id: true, number: true, pipeline: true, models: true, startedAt: true, resolvedAt: true, errorState: true, pathway: true, failureClass: true },
  })
  if (!incident) throw new AppError('not_found', `There is no incident INC-${number}.`)
  // the alerts' labels are the evidence; a huge incident's first 2,000 distinct alerts are plenty for counting
  const alerts = await getDb().alert.findMany({ where: { incidentId: incident.id }, select: { labels: true, status: true }, orderBy: { id: 'asc' }, take: 2_000 })
  return { ...incident, alerts: alerts.map((a) => ({ labels: (a.labels ?? {}) as Record<string, string>, status: a.status })) }
}

function checkedThresholds(): Record<string, number> {
  const { thresholds } = getClassifyConfig()
  const unknown = Object.keys(thresholds).filter((id) => !DEFAULT_RULES.some((r) => r.id === id))
  if (unknown.length) throw new AppError('internal', `firebreak.config.json: classify.thresholds names rules that do not exist: ${unknown.join(', ')}`)
  return thresholds
}

/** One step of the wizard for an incident, given the answers already confirmed for the earlier steps. */
export async function proposeForIncident(
  context: RequestContext,
  number: number,
  step: Step,
  prior: { errorState?: string | null; pathway?: string | null },
  // aligned to the panels' refresh, so responders opening the same step within it share one batch of queries
  now = alignToInterval(new Date(), PANEL_REFRESH_MS),
): Promise<WizardStep> {
  requirePermission(context, 'console:read')
  const incident = await loadIncident(number)
  const config = getClassifyConfig()
  const allowed = allowedAnswers(step, prior)
  const metrics = getMetricsSource()
  const traces = getTraceSources()
  const result = await gatherStep(step, incident, {
    metrics,
    traces,
    fleet: getFileConfig().fleet,
    traceConfig: getFileConfig().traces,
    now,
    timeoutMs: config.timeoutMs,
    leadMinutes: config.leadMinutes,
    maxTraces: config.maxTraces,
    evaluate: { thresholds: checkedThresholds(), minConfidence: config.minConfidence, allowed },
  })
  // only a failure counts as "down" for the rest of the console; a backend that is merely slow is not
  const health = (state: GatheredStep['backends']['metrics']) => {
    if (state.state === 'ok') backendHealth.recordSuccess(state.name)
    if (state.state !== 'down') return null
    return backendHealth.recordFailure(state.name, state.detail ?? state.state).downSince
  }
  const downSince = { metrics: health(result.backends.metrics), traces: health(result.backends.traces) }
  return { ...result, gatherId: remember(incident.id, result), allowed, downSince }
}

export interface ClassificationView {
  revision: number
  errorState: string | null
  pathway: string | null
  failureClass: string | null
  steps: RecordedStep[]
  decidedByName: string
  decidedAt: Date
}

/** The latest revision number (0: never classified), for the wizard's conflict check. */
export async function currentRevision(context: RequestContext, number: number): Promise<number> {
  requirePermission(context, 'console:read')
  const row = await getDb().incidentClassification.findFirst({ where: { incident: { number } }, orderBy: { revision: 'desc' }, select: { revision: true } })
  return row?.revision ?? 0
}

export async function classificationHistory(context: RequestContext, number: number): Promise<ClassificationView[]> {
  requirePermission(context, 'console:read')
  const incident = await getDb().incident.findUnique({ where: { number }, select: { id: true } })
  if (!incident) throw new AppError('not_found', `There is no incident INC-${number}.`)
  const rows = await getDb().incidentClassification.findMany({ where: { incidentId: incident.id }, orderBy: { revision: 'desc' } })
  return rows.map((r) => ({ revision: r.revision, errorState: r.errorState, pathway: r.pathway, failureClass: r.failureClass, steps: r.steps as unknown as RecordedStep[], decidedByName: r.decidedByName, decidedAt: r.decidedAt }))
}

function staleWizard(number: number, latest: { revision: number; decidedByName: string; failureClass: string | null } | null): AppError {
  const current = latest?.revision ?? 0
  return new AppError(
    'conflict',
    `${latest?.decidedByName ?? 'Someone'} classified INC-${number} (revision ${current}${latest?.failureClass ? `: ${latest.failureClass}` : ''}) after you opened the wizard. Review their answer; confirm again to record yours as revision ${current + 1}.`,
    { details: { currentRevision: current, failureClass: latest?.failureClass ?? null, decidedByName: latest?.decidedByName ?? null } },
  )
}

/** Where the wizard sends the responder after deciding: the class's runbook, or triage after "don't know". */
export function runbookFor(failureClass: string | null, incidentNumber: number): { id: string; href: string } {
  const id = failureClass ?? TRIAGE_RUNBOOK_ID
  return { id, href: `/runbooks/${id}?incident=${incidentNumber}` }
}

/**
 * Records the responder's decision: the answers, the evidence each step showed (kept from gathering; gathered again
 * if this process no longer has it) and who decided, as a new revision, on the incident and on its timeline.
 * `basedOnRevision` is the revision the responder saw; if someone classified in between, 409 with theirs.
 */
export async function recordClassification(context: RequestContext, number: number, input: ClassificationInput, now = new Date()) {
  const actor = requirePermission(context, 'incident:write')
  const incident = await loadIncident(number)

  // validate the chain of answers against the taxonomy: each answer must be one the step allows after the earlier ones
  const answers: Partial<Record<Step, string | null>> = {}
  for (const decided of input.steps) answers[decided.step] = decided.answer
  const stopped = STEPS.findIndex((s) => answers[s] === null)
  for (const [i, s] of STEPS.entries()) {
    const decided = input.steps.find((d) => d.step === s)
    if (stopped !== -1 && i > stopped) {
      if (decided && decided.answer !== null) throw new AppError('bad_request', `After "don't know" at ${STEPS[stopped]}, ${s} cannot be answered: the triage runbook comes first.`)
      continue
    }
    if (!decided) throw new AppError('bad_request', `The ${s} step is missing: decide each step in order (error state, pathway, failure class) or answer "don't know".`)
    if (decided.answer === null) continue
    if (!STEP_ANSWERS[s].includes(decided.answer)) throw new AppError('bad_request', `"${decided.answer}" is not a ${s} in the taxonomy.`)
    const allowed = allowedAnswers(s, { errorState: answers.errorState, pathway: answers.pathway })
    if (!allowed.includes(decided.answer)) throw new AppError('bad_request', `"${decided.answer}" does not fit the earlier answers (${[answers.errorState, answers.pathway].filter(Boolean).join(', ')}); choose one of: ${allowed.join(', ')}.`)
  }

  // a stale wizard is refused before anything is gathered again
  const latest = await getDb().incidentClassification.findFirst({ where: { incidentId: incident.id }, orderBy: { revision: 'desc' }, select: { revision: true, decidedByName: true, failureClass: true } })
  if ((latest?.revision ?? 0) !== input.basedOnRevision) throw staleWizard(number, latest)

  const steps: RecordedStep[] = []
  for (const decided of input.steps) {
    if (stopped !== -1 && STEPS.indexOf(decided.step) > stopped) continue
    const kept = decided.gatherId ? gathered.get(decided.gatherId) : undefined
    let step = kept && kept.incidentId === incident.id && kept.step.step === decided.step ? kept.step : null
    // this process no longer has what the responder saw (another instance, a restart, a pasted link): gather again
    // and say so, rather than pass the new evidence off as what was on screen
    const regathered = !step
    if (!step) {
      const prior = { errorState: answers.errorState, pathway: answers.pathway }
      step = (await proposeForIncident(context, number, decided.step, decided.step === 'errorState' ? {} : decided.step === 'pathway' ? { errorState: prior.errorState } : prior, now))
    }
    steps.push({
      step: decided.step,
      answer: decided.answer,
      proposed: step.proposal.answer,
      confidence: step.proposal.confidence,
      overridden: decided.answer !== step.proposal.answer,
      evidence: step.evidence,
      missing: [...step.notes, ...step.proposal.missing],
      ...(regathered ? { regathered: true } : {}),
    })
  }

  const errorState = answers.errorState ?? null
  const pathway = stopped !== -1 && stopped <= 0 ? null : (answers.pathway ?? null)
  const failureClass = stopped !== -1 ? null : (answers.failureClass ?? null)
  const runbook = runbookFor(failureClass, number)

  const result = await getDb()
    .$transaction(async (tx) => {
      const newest = await tx.incidentClassification.findFirst({ where: { incidentId: incident.id }, orderBy: { revision: 'desc' }, select: { revision: true, decidedByName: true, failureClass: true } })
      const current = newest?.revision ?? 0
      if (current !== input.basedOnRevision) throw staleWizard(number, newest)
      const row = await tx.incidentClassification.create({
        data: { incidentId: incident.id, revision: current + 1, errorState, pathway, failureClass, steps: steps as unknown as Prisma.InputJsonValue, decidedById: actor.id, decidedByName: actor.name },
      })
      await tx.incident.update({ where: { id: incident.id }, data: { errorState, pathway, failureClass, classifiedAt: now } })
      const summary = decisionSummary({ errorState, pathway, failureClass }, steps, current)
      await tx.timelineEntry.create({
        data: {
          incidentId: incident.id,
          kind: 'classification',
          body: summary,
          actorId: actor.id,
          actorName: actor.name,
          data: { revision: row.revision, errorState, pathway, failureClass, runbook: runbook.href, steps: steps as unknown as Prisma.InputJsonValue },
        },
      })
      await recordAudit(tx, context, { action: 'incident.classify', targetType: 'incident', targetId: incident.id, after: { revision: row.revision, errorState, pathway, failureClass } })
      return row
    })
    .catch((error: unknown) => {
      // two confirmations racing past the revision check: the unique (incident, revision) index decides
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new AppError('conflict', `Someone classified INC-${number} at the same moment. Review their answer; confirm again to revise it.`)
      }
      throw error
    })

  return {
    revision: result.revision,
    errorState,
    pathway,
    failureClass,
    title: failureClass ? (findFailureClass(failureClass)?.title ?? failureClass) : null,
    runbook,
  }
}
