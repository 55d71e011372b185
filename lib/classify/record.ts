/**
 * The shape of a recorded classification (IncidentClassification.steps in prisma/schema.prisma): what the wizard
 * showed at each step when the responder decided, so the timeline and the postmortem show the evidence as it was.
 */
import type { Step } from './rules'

export type EvidenceSource = 'prometheus' | 'traces' | 'alerts'

export interface RecordedEvidence {
  ruleId: string
  title: string
  source: EvidenceSource
  /** holds: the rule's condition is met; doesNotHold: observed but not met; missing: no data */
  status: 'holds' | 'doesNotHold' | 'missing'
  value: number | null
  threshold: number
  comparison: string
  unit?: string
  /** e.g. "supports gpu-oom (weight 1)", "rules out loading (weight 0.8)" */
  effects: string[]
  /** the answers the rule bears on (absent in records made before it was added) */
  answers?: string[]
  /** the PromQL query, detector or alert label the value came from */
  query?: string
}

export interface RecordedStep {
  step: Step
  /** what the responder chose; null for "don't know" */
  answer: string | null
  /** what Firebreak proposed; null when it proposed "don't know" */
  proposed: string | null
  confidence: number
  /** the responder chose something other than the proposal */
  overridden: boolean
  evidence: RecordedEvidence[]
  missing: string[]
  /** the evidence was gathered again at the decision: the process no longer had what the responder saw */
  regathered?: boolean
}
