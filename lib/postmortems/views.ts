/**
 * What the postmortem API sends and the pages render (dates as ISO strings, dueDate as YYYY-MM-DD). The service
 * builds these directly, so the JSON and the server-rendered pages see the same shapes.
 */
import type { PostmortemFacts } from './facts'
import type { ActionItemPriority, ActionItemStatus, PostmortemContent, PostmortemStatus } from './schemas'

export interface IncidentRef {
  number: number
  title: string
  severity: string
  status: string
}

export interface CitedCase {
  number: number
  title: string
  category: string
  categoryTitle: string
  traceId: string
  linkedAt: string
}

export interface ActionItemView {
  id: string
  number: number
  postmortem: { number: number; title: string; status: PostmortemStatus }
  title: string
  ownerId: string | null
  ownerName: string | null
  dueDate: string | null
  status: ActionItemStatus
  priority: ActionItemPriority
  closedAt: string | null
  createdAt: string
  updatedAt: string
  isOverdue: boolean
}

export interface CommentView {
  id: string
  section: string | null
  body: string
  authorId: string | null
  authorName: string
  createdAt: string
}

export interface RevisionView {
  version: number
  title: string
  status: PostmortemStatus
  authorName: string
  createdAt: string
}

export interface PostmortemSummary {
  number: number
  title: string
  status: PostmortemStatus
  incident: IncidentRef
  createdByName: string
  createdAt: string
  updatedAt: string
  publishedAt: string | null
  actionItems: { open: number; overdue: number; total: number }
}

export interface PostmortemView {
  id: string
  number: number
  title: string
  status: PostmortemStatus
  /** a save names it; the conflict answer carries the current one */
  version: number
  content: PostmortemContent
  /** null only for a row whose facts cannot be read (an older format) */
  facts: PostmortemFacts | null
  incident: IncidentRef
  cases: CitedCase[]
  actionItems: ActionItemView[]
  createdByName: string
  createdAt: string
  updatedAt: string
  reviewRequestedAt: string | null
  publishedAt: string | null
  /** who saved the current version */
  lastEditorName: string
  /** why it cannot be published yet (empty when it can) */
  publishBlockers: string[]
}

/** The 409 answer of a stale save: the current document, so the editor can show both texts. */
export interface SaveConflictDetails {
  current: { version: number; title: string; content: PostmortemContent; status: PostmortemStatus; lastEditorName: string; updatedAt: string }
}

export function postmortemRef(number: number): string {
  return `PM-${number}`
}

export function actionItemRef(number: number): string {
  return `AI-${number}`
}
