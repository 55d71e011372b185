/**
 * "Seen before": how much a trace looks like each stored case. A trace's signature is five sets (pipeline stages,
 * services, span names, models, the detectors that fired on it); two signatures are compared set by set (Jaccard:
 * shared / all) and the set scores are averaged with weights: what failed (detectors) and where in the pipeline
 * (stages, models) say more about the failure than which services and operations took part. A set empty on both
 * sides says nothing and is left out of the average.
 */
import { DEFAULT_TRACE_CONFIG, type TraceConfig } from '@/lib/traces/config'
import { modelCallOf } from '@/lib/traces/genai'
import type { Finding, Trace } from '@/lib/traces/model'

export const SIGNATURE_FEATURES = ['detectors', 'stages', 'models', 'services', 'spanNames'] as const
export type SignatureFeature = (typeof SIGNATURE_FEATURES)[number]
export type TraceSignature = Record<SignatureFeature, Set<string>>
export type SharedFeatures = Record<SignatureFeature, string[]>

export const FEATURE_WEIGHTS: Record<SignatureFeature, number> = { detectors: 3, stages: 2, models: 2, services: 1, spanNames: 1 }

export interface SignatureInput {
  trace: Trace
  /** what detectFindings reported for the trace; none means no detector fired */
  findings?: Finding[]
}

/**
 * Span names with their variable parts (numbers, hex and UUID ids) replaced, so "GET /v1/docs/8812" from two requests
 * is one operation.
 */
export function operationName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}')
    .replace(/\b[0-9a-f]{12,}\b/g, '{id}')
    .replace(/\d+/g, '{n}')
}

/** Stages and models are read as the waterfall reads them (lib/traces/genai.ts, through the trace configuration). */
export function traceSignature({ trace, findings = [] }: SignatureInput, config: TraceConfig = DEFAULT_TRACE_CONFIG): TraceSignature {
  const signature: TraceSignature = { detectors: new Set(), stages: new Set(), models: new Set(), services: new Set(), spanNames: new Set() }
  for (const finding of findings) signature.detectors.add(finding.detector)
  for (const span of trace.spans) {
    const call = modelCallOf(span, config)
    if (call?.stage) signature.stages.add(call.stage.trim().toLowerCase())
    if (call?.model) signature.models.add(call.model.trim())
    signature.services.add(span.service)
    signature.spanNames.add(operationName(span.name))
  }
  return signature
}

export interface SignatureComparison {
  /** 0 (nothing in common) to 1 (the same signature) */
  score: number
  shared: SharedFeatures
}

export function compareSignatures(a: TraceSignature, b: TraceSignature): SignatureComparison {
  let weighted = 0
  let weights = 0
  const shared = {} as SharedFeatures
  for (const feature of SIGNATURE_FEATURES) {
    const both = [...a[feature]].filter((v) => b[feature].has(v)).sort()
    shared[feature] = both
    const union = new Set([...a[feature], ...b[feature]]).size
    if (union === 0) continue
    weighted += FEATURE_WEIGHTS[feature] * (both.length / union)
    weights += FEATURE_WEIGHTS[feature]
  }
  return { score: weights === 0 ? 0 : Math.round((weighted / weights) * 1000) / 1000, shared }
}

export interface CaseCandidate extends SignatureInput {
  id: string
  number: number
  title: string
  category: string
  traceId: string
}

export interface SimilarCase {
  id: string
  number: number
  title: string
  category: string
  traceId: string
  score: number
  shared: SharedFeatures
  /** the case was pinned from this very trace */
  isSameTrace: boolean
}

export interface SimilarOptions {
  /** the class the trace is thought to be (its case's category, or what the detectors suggest) */
  category?: string
  /** cases scoring below this are not "seen before" */
  minScore?: number
  limit?: number
  /** leave this case out (a case is not similar to itself) */
  excludeCaseId?: string
  config?: TraceConfig
}

export interface SimilarCases {
  /** matches among cases of the given category (empty without one) */
  inCategory: SimilarCase[]
  /** matches among all cases, whatever their category */
  overall: SimilarCase[]
}

export const DEFAULT_MIN_SCORE = 0.3

/** Ranks the stored cases by similarity to a trace: best first, ties to the newest case (highest number). */
export function similarCases(target: SignatureInput, cases: CaseCandidate[], options: SimilarOptions = {}): SimilarCases {
  const { category, minScore = DEFAULT_MIN_SCORE, limit = 10, excludeCaseId, config } = options
  const signature = traceSignature(target, config)
  const ranked = cases
    .filter((c) => c.id !== excludeCaseId)
    .map((c): SimilarCase => {
      const { score, shared } = compareSignatures(signature, traceSignature(c, config))
      return { id: c.id, number: c.number, title: c.title, category: c.category, traceId: c.traceId, score, shared, isSameTrace: c.traceId === target.trace.traceId }
    })
    .filter((match) => match.score >= minScore)
    .sort((a, b) => b.score - a.score || b.number - a.number)
  return {
    inCategory: category ? ranked.filter((m) => m.category === category).slice(0, limit) : [],
    overall: ranked.slice(0, limit),
  }
}

/** The class most of a trace's findings point to (critical findings count double), for ranking "same category". */
export function suggestedCategory(findings: Finding[]): string | undefined {
  const votes = new Map<string, number>()
  for (const f of findings) votes.set(f.failureClass, (votes.get(f.failureClass) ?? 0) + (f.severity === 'critical' ? 2 : 1))
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]
}
