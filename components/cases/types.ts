/** What the case API sends (dates as ISO strings); mirrors lib/cases/rows.ts and lib/cases/similarity.ts. */
import type { Finding, Trace } from '@/lib/traces/model'

export interface LinkedIncident {
  number: number
  title: string
  status: string
  severity: string
  linkedAt: string
}

export interface CaseSummary {
  id: string
  number: number
  title: string
  traceId: string
  category: string
  categoryTitle: string
  tags: string[]
  pipeline: string | null
  models: string[]
  source: string
  spanCount: number
  traceStartedAt: string
  pinnedById: string | null
  pinnedByName: string | null
  version: number
  createdAt: string
  updatedAt: string
  incidents: LinkedIncident[]
}

export type CaseDetail = CaseSummary & { notes: string }

export interface CaseList {
  cases: CaseSummary[]
  total: number
  page: number
  pageSize: number
}

export interface OpenedCase {
  case: CaseDetail
  trace: Trace
  findings: Finding[]
}

export type SignatureFeature = 'detectors' | 'stages' | 'models' | 'services' | 'spanNames'

export interface SimilarCase {
  id: string
  number: number
  title: string
  category: string
  traceId: string
  score: number
  shared: Record<SignatureFeature, string[]>
  isSameTrace: boolean
}

export interface SimilarResult {
  traceId: string
  category: string | null
  findings: Finding[]
  inCategory: SimilarCase[]
  overall: SimilarCase[]
  compared: number
}

export function caseRef(number: number): string {
  return `CASE-${number}`
}
