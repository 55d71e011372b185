/**
 * draft → in_review → published, and in_review → draft when the review sends it back. A published postmortem is the
 * record: its text no longer changes (comments and action items still do).
 */
import type { PostmortemContent, PostmortemStatus, TransitionAction } from './schemas'
import { SECTIONS } from './template'

const TRANSITIONS: Record<TransitionAction, { from: PostmortemStatus; to: PostmortemStatus; verb: string }> = {
  submit: { from: 'draft', to: 'in_review', verb: 'submit for review' },
  return: { from: 'in_review', to: 'draft', verb: 'send back to draft' },
  publish: { from: 'in_review', to: 'published', verb: 'publish' },
}

/** Incident states a postmortem can start from: the impact is over, or at least stopped. */
export const POSTMORTEM_READY_STATUSES = ['mitigated', 'resolved'] as const

export function isReadyForPostmortem(incidentStatus: string): boolean {
  return (POSTMORTEM_READY_STATUSES as readonly string[]).includes(incidentStatus)
}

export const STATUS_LABELS: Record<PostmortemStatus, string> = { draft: 'draft', in_review: 'in review', published: 'published' }

export type TransitionCheck = { ok: true; to: PostmortemStatus } | { ok: false; reason: string }

export function checkTransition(current: PostmortemStatus, action: TransitionAction): TransitionCheck {
  const t = TRANSITIONS[action]
  if (current !== t.from) return { ok: false, reason: `The postmortem is ${STATUS_LABELS[current]}; it must be ${STATUS_LABELS[t.from]} to ${t.verb}.` }
  return { ok: true, to: t.to }
}

/** The actions open from a status, for the buttons. */
export function availableActions(current: PostmortemStatus): TransitionAction[] {
  return (Object.keys(TRANSITIONS) as TransitionAction[]).filter((a) => TRANSITIONS[a].from === current)
}

export function isEditable(status: PostmortemStatus): boolean {
  return status !== 'published'
}

const normalize = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim()

/** Written: not blank, and not just the starting text Firebreak generated for it. */
export function isSectionWritten(text: string | undefined, generated: string | undefined): boolean {
  const mine = normalize(text)
  return mine !== '' && mine !== normalize(generated)
}

/**
 * What stands between a postmortem and publishing: every required section written by a person (impact, detection,
 * root cause, resolution) and at least one root-cause area named. Empty when it may be published.
 */
export function publishBlockers(content: PostmortemContent, generated: PostmortemContent | null): string[] {
  const blockers: string[] = []
  for (const section of SECTIONS.filter((s) => s.isRequiredToPublish)) {
    if (!isSectionWritten(content.sections[section.key], generated?.sections[section.key])) blockers.push(`Write the “${section.title}” section (the generated draft alone does not count).`)
  }
  if (content.causeAreas.length === 0) blockers.push('Name where the root cause sits: model, data, infrastructure or configuration.')
  return blockers
}
