import 'server-only'
/**
 * The failure case library: traces pinned as cases (a redacted snapshot that outlives the tracing backend), curated,
 * linked to incidents, exported as regression fixtures, and compared with new traces ("seen before").
 * See README.md beside this file for the decisions.
 */
export { exportCase, importCase, pinCase, MAX_SNAPSHOT_BYTES, type CaseDependencies } from './pin'
export { caseFacets, casesForIncident, deleteCase, getCase, getCaseSpan, linkIncident, listCases, openCaseView, unlinkIncident, updateCase, type CaseList, type OpenedCase } from './service'
export { similarToCase, similarToTrace, type SimilarResult } from './similar'
export type { CaseDetail, CaseSummary, LinkedIncident } from './rows'
