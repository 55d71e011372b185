import 'server-only'
/**
 * Blameless postmortems (issue #8): started from a mitigated or resolved incident with the facts captured, written
 * in sections, reviewed and published; action items tracked across all of them. See docs/postmortems.md.
 */
export { createActionItem, deleteActionItem, listActionItems, listOwners, updateActionItem, type ActionItemList } from './action-item-service'
export {
  addComment,
  citeCase,
  createPostmortem,
  exportPostmortem,
  getPostmortem,
  getRevision,
  listComments,
  listPostmortems,
  listRevisions,
  refreshFacts,
  savePostmortem,
  transitionPostmortem,
  unciteCase,
} from './service'
export type { FactsDependencies } from './gather'
export type * from './views'
