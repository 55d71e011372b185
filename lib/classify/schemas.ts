/**
 * The wizard's inputs (API query and body) and the words the timeline records. Pure.
 */
import { z } from 'zod'
import { ERROR_STATE_LABELS, ERROR_STATES, findFailureClass, PATHWAYS, type ErrorState } from '@/lib/taxonomy'
import type { RecordedStep } from './record'
import { STEPS, type Step } from './rules'

const answer = z.string().regex(/^[a-z0-9-]+$/, 'is not an answer id').max(80)
const errorState = z.enum(ERROR_STATES, { error: `must be one of ${ERROR_STATES.join(', ')}` })
const pathway = z.enum(PATHWAYS, { error: `must be one of ${PATHWAYS.join(', ')}` })

export const wizardQuerySchema = z
  .object({
    step: z.enum(STEPS, { error: `must be one of ${STEPS.join(', ')}` }),
    errorState: errorState.optional(),
    pathway: pathway.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.step === 'pathway' && !q.errorState) ctx.addIssue({ code: 'custom', path: ['errorState'], message: 'is needed for the pathway step: the error state comes first' })
    if (q.step === 'failureClass' && (!q.errorState || !q.pathway)) ctx.addIssue({ code: 'custom', path: [q.errorState ? 'pathway' : 'errorState'], message: 'is needed for the failure-class step' })
  })

export const classificationInputSchema = z
  .object({
    /** the revision the responder saw when opening the wizard (0: not classified yet) */
    basedOnRevision: z.number().int().min(0),
    steps: z
      .array(
        z
          .object({
            step: z.enum(STEPS),
            /** null: "don't know" */
            answer: answer.nullable(),
            /** the id of the gathered evidence the responder looked at */
            gatherId: z.string().uuid().optional(),
          })
          .strict(),
      )
      .min(1, 'decide at least the error state')
      .max(3)
      .refine((steps) => new Set(steps.map((s) => s.step)).size === steps.length, 'each step at most once'),
  })
  .strict()
export type ClassificationInput = z.infer<typeof classificationInputSchema>

function label(step: Step, answer: string | null): string {
  if (answer === null) return "don't know"
  if (step === 'errorState') return ERROR_STATE_LABELS[answer as ErrorState]?.split(':')[0] ?? answer
  if (step === 'failureClass') return findFailureClass(answer)?.title ?? answer
  return answer
}

/** One line for the timeline: what was decided, how it relates to the proposals, and what was missing. */
export function decisionSummary(result: { errorState: string | null; pathway: string | null; failureClass: string | null }, steps: RecordedStep[], previousRevision: number): string {
  const verb = previousRevision > 0 ? `Reclassified (revision ${previousRevision + 1})` : 'Classified'
  const chain = steps.map((s) => `${label(s.step, s.answer)}${s.overridden ? ` (overriding the proposal ${s.proposed === null ? "don't know" : label(s.step, s.proposed)})` : ` (${Math.round(s.confidence * 100)} % confidence)`}`)
  const gaps = new Set(steps.flatMap((s) => s.missing)).size
  const end = result.failureClass ? '' : ' Triage runbook next.'
  const regathered = steps.some((s) => s.regathered) ? ' Some evidence was gathered again when recorded (the wizard’s copy had expired).' : ''
  return `${verb}: ${chain.join(' → ')}.${gaps ? ` ${gaps} signal${gaps === 1 ? ' was' : 's were'} missing (listed with the evidence).` : ''}${regathered}${end}`
}
