/**
 * Pure evaluation of the evidence rules (./rules.ts): observed values per rule id in, a ranked proposal per wizard step
 * out, with confidence, reasons and the evidence that was missing. No I/O.
 */
import { formatEvidence } from './format'
import { FAILURE_CLASSES, TRIAGE_RUNBOOK_ID, type FailureClass } from '@/lib/taxonomy'
import { DEFAULT_RULES, STEP_ANSWERS, STEPS, type Comparison, type Rule, type Step } from './rules'

export type Observed = number | boolean | 'missing'
/** rule id → observed value; an absent id counts as missing */
export type Observations = Record<string, Observed | undefined>
export type RuleStatus = 'holds' | 'doesNotHold' | 'missing'

export interface RuleResult {
  ruleId: string
  step: Step
  status: RuleStatus
  value: number | null
  threshold: number
  comparison: Comparison
}

export interface Reason {
  ruleId: string
  effect: 'supports' | 'rulesOut'
  weight: number
  value: number
  threshold: number
  text: string
}

export interface RankedAnswer {
  answer: string
  support: number
  against: number
  score: number
  /** share of the evidence bearing on this answer that was observed, in [0,1] */
  coverage: number
  confidence: number
  reasons: Reason[]
}

export interface StepProposal {
  step: Step
  /** answers with any evidence, best first */
  ranked: RankedAnswer[]
  /** the proposed answer, or null for "don't know" */
  answer: string | null
  confidence: number
  /** share of the step's evidence (on the answers still possible) that was observed, in [0,1] */
  stepCoverage: number
  /** set when no answer reaches the minimum confidence */
  dontKnow: { runbook: string; href: string; text: string } | null
  /** evidence that had no data, in words */
  missing: string[]
}

export interface EvaluateOptions {
  rules?: Rule[]
  /** rule id → threshold overriding the rule's default */
  thresholds?: Record<string, number>
  /** below this confidence the step answers "don't know" */
  minConfidence?: number
  /** the answers still possible given the earlier steps (see allowedAnswers); others are not ranked */
  allowed?: readonly string[]
}

export const DEFAULT_MIN_CONFIDENCE = 0.5

export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold
    case '>=':
      return value >= threshold
    case '<':
      return value < threshold
    case '<=':
      return value <= threshold
    case '==':
      return value === threshold
  }
}

function toNumber(value: Observed | undefined): number | null {
  if (value === undefined || value === 'missing') return null
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value
  return Number.isFinite(n) ? n : null
}

/** One rule against one observed value. */
export function evaluateRule(rule: Rule, observed: Observed | undefined, threshold: number = rule.threshold.default): RuleResult {
  const value = toNumber(observed)
  const status: RuleStatus = value === null ? 'missing' : compare(value, rule.comparison, threshold) ? 'holds' : 'doesNotHold'
  return { ruleId: rule.id, step: rule.step, status, value, threshold, comparison: rule.comparison }
}

/**
 * How much net evidence it takes: strength is 1 - e^(-score / STRENGTH_SCALE), so one rule of weight 0.6 gives 0.49
 * (below the default minimum confidence on its own), 0.8 gives 0.59, 1 gives 0.67, and two strong rules 0.87 and more.
 */
export const STRENGTH_SCALE = 0.9
/** how much the unseen share of the evidence lowers confidence: for this answer, and for the whole step (rivals too) */
export const ANSWER_COVERAGE_WEIGHT = 0.3
export const STEP_COVERAGE_WEIGHT = 0.25

/**
 * Confidence of one answer: its share of the net evidence, how strong that evidence is, how much of the evidence on
 * this answer was seen, and how much of the step's evidence was seen (unseen evidence could support a rival).
 */
export function confidenceOf(score: number, totalPositive: number, coverage: number, stepCoverage: number): number {
  if (score <= 0 || totalPositive <= 0) return 0
  const share = score / totalPositive
  const strength = 1 - Math.exp(-score / STRENGTH_SCALE)
  const seen = (1 - ANSWER_COVERAGE_WEIGHT + ANSWER_COVERAGE_WEIGHT * coverage) * (1 - STEP_COVERAGE_WEIGHT + STEP_COVERAGE_WEIGHT * stepCoverage)
  return Math.max(0, Math.min(1, share * strength * seen))
}

export function proposeStep(step: Step, observations: Observations, options: EvaluateOptions = {}): StepProposal {
  const rules = (options.rules ?? DEFAULT_RULES).filter((r) => r.step === step)
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE
  const results = new Map(rules.map((r) => [r.id, evaluateRule(r, observations[r.id], options.thresholds?.[r.id] ?? r.threshold.default)]))

  const ranked: RankedAnswer[] = []
  let stepWeightAll = 0
  let stepWeightSeen = 0
  for (const answer of STEP_ANSWERS[step]) {
    if (options.allowed && !options.allowed.includes(answer)) continue
    let support = 0
    let against = 0
    let weightAll = 0
    let weightSeen = 0
    const reasons: Reason[] = []
    for (const rule of rules) {
      const result = results.get(rule.id)!
      for (const e of rule.effects) {
        if (e.answer !== answer) continue
        weightAll += e.weight
        if (result.status === 'missing') continue
        weightSeen += e.weight
        if (result.status !== 'holds') continue
        if (e.effect === 'supports') support += e.weight
        else against += e.weight
        reasons.push({
          ruleId: rule.id,
          effect: e.effect,
          weight: e.weight,
          value: result.value!,
          threshold: result.threshold,
          text: `${rule.title}: ${formatEvidence(result.value, rule.threshold.unit)} ${rule.comparison} ${formatEvidence(result.threshold, rule.threshold.unit)} (${rule.threshold.source}) ${e.effect === 'supports' ? 'supports' : 'rules out'} ${answer} (weight ${e.weight})`,
        })
      }
    }
    stepWeightAll += weightAll
    stepWeightSeen += weightSeen
    if (weightAll === 0 || (support === 0 && against === 0)) continue
    ranked.push({ answer, support, against, score: support - against, coverage: weightSeen / weightAll, confidence: 0, reasons })
  }

  const stepCoverage = stepWeightAll > 0 ? stepWeightSeen / stepWeightAll : 0
  const totalPositive = ranked.reduce((sum, a) => sum + Math.max(0, a.score), 0)
  for (const a of ranked) a.confidence = confidenceOf(a.score, totalPositive, a.coverage, stepCoverage)
  ranked.sort((a, b) => b.confidence - a.confidence || b.score - a.score || a.answer.localeCompare(b.answer))

  const missing = [...new Set(rules.filter((r) => results.get(r.id)!.status === 'missing').map((r) => `${r.title}: no data for ${r.missingHint}`))]
  const top = ranked[0]
  const known = top !== undefined && top.confidence >= minConfidence
  return {
    step,
    ranked,
    answer: known ? top.answer : null,
    confidence: top ? top.confidence : 0,
    stepCoverage,
    dontKnow: known
      ? null
      : {
          runbook: TRIAGE_RUNBOOK_ID,
          href: `/runbooks/${TRIAGE_RUNBOOK_ID}`,
          text: `Don't know: no ${step} answer reaches confidence ${minConfidence}. Follow the triage runbook${missing.length ? ` and collect the missing evidence (${missing.length} signals)` : ''}.`,
        },
    missing,
  }
}

/**
 * The answers a step may take once the earlier steps are decided, from the taxonomy: a pathway some class of the
 * chosen error state has, a class with the chosen error state and pathway. When the combination has no class (the
 * responder overrode the proposal into new ground), the looser set is offered rather than nothing.
 */
export function allowedAnswers(step: Step, prior: { errorState?: string | null; pathway?: string | null }): readonly string[] {
  if (step === 'errorState') return STEP_ANSWERS.errorState
  const classes = FAILURE_CLASSES.filter((c) => !prior.errorState || c.errorState === prior.errorState)
  if (step === 'pathway') {
    const pathways = new Set(classes.map((c) => c.pathway))
    return pathways.size ? STEP_ANSWERS.pathway.filter((p) => pathways.has(p as FailureClass['pathway'])) : STEP_ANSWERS.pathway
  }
  const both = classes.filter((c) => !prior.pathway || c.pathway === prior.pathway)
  if (both.length) return both.map((c) => c.id)
  const byPathway = FAILURE_CLASSES.filter((c) => !prior.pathway || c.pathway === prior.pathway)
  return byPathway.length ? byPathway.map((c) => c.id) : STEP_ANSWERS.failureClass
}

/** All three steps of the wizard. */
export function classify(observations: Observations, options: EvaluateOptions = {}): Record<Step, StepProposal> {
  return Object.fromEntries(STEPS.map((s) => [s, proposeStep(s, observations, options)])) as Record<Step, StepProposal>
}
