/**
 * The postmortem's inputs and its stored `content`, shared by the API routes, the service and the forms.
 * `content` is what people write (sections, contributing factors, the editable timeline); `facts` (facts.ts) is what
 * Firebreak captured, and is never edited by hand.
 */
import { z } from 'zod'
import { CAUSE_AREAS, COMMENT_SECTIONS, SECTION_KEYS, type SectionKey } from './template'

/** A positive whole number, from JSON or from text ("12", "PM-12"): what a link or a person types. */
function numberRef(prefix: RegExp, message: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replace(prefix, '')) : v),
    z.number({ error: message }).int(message).min(1, message).max(2_147_483_647, message),
  )
}

export const postmortemNumberSchema = numberRef(/^pm-/i, 'must be a postmortem number such as 12 or PM-12')
export const actionItemNumberSchema = numberRef(/^ai-/i, 'must be an action item number such as 7 or AI-7')
export const incidentRefSchema = numberRef(/^inc-/i, 'must be an incident number such as 42 or INC-42')
export const caseRefSchema = numberRef(/^case-/i, 'must be a case number such as 12 or CASE-12')

export const MAX_SECTION_CHARS = 50_000
export const MAX_TIMELINE_ENTRIES = 1_000

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO time such as 2026-11-22T04:30:00.000Z' })
const sectionText = z.string().max(MAX_SECTION_CHARS, `must be at most ${MAX_SECTION_CHARS.toLocaleString('en')} characters`)

const sectionsShape = Object.fromEntries(SECTION_KEYS.map((key) => [key, sectionText.default('')])) as Record<SectionKey, z.ZodDefault<typeof sectionText>>

export const timelineEventSchema = z.object({
  /** stable across edits: "inc-<timeline entry id>" for copied events, anything unique for added ones */
  id: z.string().trim().min(1).max(60),
  at: isoTime,
  text: z.string().trim().min(1, 'an event needs a description').max(2_000, 'must be at most 2,000 characters'),
  /** the incident timeline's kind (status, alert.fired, note, …) or "added" */
  kind: z.string().trim().min(1).max(40),
  /** pinned events are the story: they lead the export and the print view */
  pinned: z.boolean(),
})
export type TimelineEvent = z.infer<typeof timelineEventSchema>

export const contributingFactorSchema = z.object({
  area: z.enum(CAUSE_AREAS, { message: `must be one of ${CAUSE_AREAS.join(', ')}` }),
  text: z.string().trim().min(1, 'a factor needs a description').max(2_000, 'must be at most 2,000 characters'),
})
export type ContributingFactor = z.infer<typeof contributingFactorSchema>

export const postmortemContentSchema = z.object({
  /** a short summary for people who read nothing else; prefilled from the facts */
  summary: sectionText.default(''),
  sections: z.object(sectionsShape),
  /** where the root cause sits; several when it took more than one */
  causeAreas: z
    .array(z.enum(CAUSE_AREAS, { message: `must be one of ${CAUSE_AREAS.join(', ')}` }))
    .max(CAUSE_AREAS.length)
    .default([])
    .transform((areas) => CAUSE_AREAS.filter((a) => areas.includes(a))),
  factors: z.array(contributingFactorSchema).max(100, 'at most 100 contributing factors').default([]),
  timeline: z.array(timelineEventSchema).max(MAX_TIMELINE_ENTRIES, `at most ${MAX_TIMELINE_ENTRIES} timeline events`).default([]),
})
export type PostmortemContent = z.infer<typeof postmortemContentSchema>

export const postmortemTitleSchema = z.string().trim().min(3, 'needs at least 3 characters').max(200, 'must be at most 200 characters')

export const createPostmortemSchema = z.object({ incidentNumber: incidentRefSchema }).strict()

/** A save names the version it started from (optimistic concurrency, like runbooks and cases). */
export const savePostmortemSchema = z
  .object({
    version: z.number({ error: 'must be the version you started editing from' }).int().min(1),
    title: postmortemTitleSchema,
    content: postmortemContentSchema,
  })
  .strict()
export type SavePostmortemInput = z.infer<typeof savePostmortemSchema>

export const TRANSITION_ACTIONS = ['submit', 'return', 'publish'] as const
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number]

export const transitionSchema = z
  .object({
    action: z.enum(TRANSITION_ACTIONS, { message: 'must be submit, return or publish' }),
    /** the version the reviewer read: publishing something else is refused */
    version: z.number({ error: 'must be the version you reviewed' }).int().min(1),
  })
  .strict()
export type TransitionInput = z.infer<typeof transitionSchema>

export const commentSchema = z
  .object({
    section: z.enum(COMMENT_SECTIONS).nullable().default(null),
    body: z.string().trim().min(1, 'the comment is empty').max(5_000, 'must be at most 5,000 characters'),
  })
  .strict()
export type CommentInput = z.infer<typeof commentSchema>

export const citeCaseSchema = z.object({ caseNumber: caseRefSchema }).strict()

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number]
export const ACTION_ITEM_PRIORITIES = ['p0', 'p1', 'p2', 'p3'] as const
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number]

const emptyAsNull = (v: unknown) => (v === '' ? null : v)
/** A due date people mean: a date picker's half-typed year (0002-11-22) is refused, and the date column cannot hold year 0. */
const dueDate = z.preprocess(
  emptyAsNull,
  z.iso
    .date({ message: 'must be a date such as 2026-11-22' })
    .refine((day) => day >= '2000-01-01' && day <= '2099-12-31', 'must be between 2000-01-01 and 2099-12-31')
    .nullable(),
)
const ownerId = z.preprocess(emptyAsNull, z.string().trim().min(1).max(64).nullable())
const actionTitle = z.string().trim().min(3, 'needs at least 3 characters').max(300, 'must be at most 300 characters')

export const createActionItemSchema = z
  .object({
    title: actionTitle,
    ownerId: ownerId.default(null),
    dueDate: dueDate.default(null),
    priority: z.enum(ACTION_ITEM_PRIORITIES, { message: 'must be p0, p1, p2 or p3' }).default('p2'),
    status: z.enum(ACTION_ITEM_STATUSES, { message: 'must be open, in_progress, done or wont_do' }).default('open'),
  })
  .strict()
export type CreateActionItemInput = z.infer<typeof createActionItemSchema>

export const updateActionItemSchema = z
  .object({
    title: actionTitle.optional(),
    ownerId: ownerId.optional(),
    dueDate: dueDate.optional(),
    priority: z.enum(ACTION_ITEM_PRIORITIES, { message: 'must be p0, p1, p2 or p3' }).optional(),
    status: z.enum(ACTION_ITEM_STATUSES, { message: 'must be open, in_progress, done or wont_do' }).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change: send title, ownerId, dueDate, priority or status')
export type UpdateActionItemInput = z.infer<typeof updateActionItemSchema>

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

/** /action-items?… and /api/action-items?… */
export const listActionItemsQuerySchema = z.object({
  /** "active" = open or in progress */
  status: z.preprocess(emptyAsUndefined, z.enum(['active', 'all', ...ACTION_ITEM_STATUSES]).default('active')),
  owner: z.preprocess(emptyAsUndefined, z.string().trim().max(64).optional()),
  priority: z.preprocess(emptyAsUndefined, z.enum(ACTION_ITEM_PRIORITIES).optional()),
  overdue: z.preprocess((v) => v === '1' || v === 'true' || v === true, z.boolean()).default(false),
  postmortem: z.preprocess(emptyAsUndefined, postmortemNumberSchema.optional()),
  limit: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(500).default(200)),
})
export type ListActionItemsQuery = z.infer<typeof listActionItemsQuerySchema>

export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'published'] as const
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number]

export const listPostmortemsQuerySchema = z.object({
  status: z.preprocess(emptyAsUndefined, z.enum(POSTMORTEM_STATUSES).optional()),
  incident: z.preprocess(emptyAsUndefined, incidentRefSchema.optional()),
  case: z.preprocess(emptyAsUndefined, caseRefSchema.optional()),
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  limit: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(100)),
})
export type ListPostmortemsQuery = z.infer<typeof listPostmortemsQuerySchema>
