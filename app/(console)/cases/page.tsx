import type { Metadata } from 'next'
import { CaseFilters, type CaseFilterValues } from '@/components/cases/case-filters'
import { CaseImport } from '@/components/cases/case-import'
import { CaseTable } from '@/components/cases/case-table'
import type { CaseList } from '@/components/cases/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { caseFacets, listCases } from '@/lib/cases'
import { listCasesQuerySchema, type ListCasesQuery } from '@/lib/cases/schemas'

export const metadata: Metadata = { title: 'Failure cases' }

type SearchParams = Record<string, string | string[] | undefined>

/** The URL's filters; one that does not parse is dropped (and said so), the others still apply. */
function readFilters(params: SearchParams): { query: ListCasesQuery; values: CaseFilterValues; ignored: string[] } {
  const flat: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined && first !== '') flat[key] = first
  }
  const ignored: string[] = []
  for (let attempt = 0; attempt < 10; attempt++) {
    const parsed = listCasesQuerySchema.safeParse(flat)
    if (parsed.success) {
      const { q, category, pipeline, model, tag, from, to, incident } = parsed.data
      return { query: parsed.data, values: { q, category, pipeline, model, tag, from, to, incident: incident?.toString() }, ignored }
    }
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0])
      if (key in flat) {
        ignored.push(`${key} (${issue.message})`)
        delete flat[key]
      }
    }
  }
  return { query: listCasesQuerySchema.parse({}), values: {}, ignored }
}

export default async function CasesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePageActor()
  const { query, values, ignored } = readFilters(await searchParams)
  const context = await getRequestContext()
  const [list, facets] = await Promise.all([listCases(context, query), caseFacets(context)])
  const hrefFor = (page: number) => {
    const params = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''))
    if (query.pageSize !== 25) params.set('pageSize', String(query.pageSize))
    if (page > 1) params.set('page', String(page))
    const text = params.toString()
    return text ? `/cases?${text}` : '/cases'
  }
  const isFiltered = Object.values(values).some((v) => v !== undefined && v !== '')
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Failure cases</h1>
          <p className="muted" style={{ margin: 0 }}>
            Traced failures pinned with their root cause: a snapshot of the trace that outlives the tracing backend, linked to incidents, exportable as a
            regression fixture.
          </p>
        </div>
      </div>
      {values.incident ? <p className="alert success" role="status">Cases linked to INC-{values.incident}.</p> : null}
      {ignored.length ? <p className="alert error" role="alert">Ignored filters: {ignored.join('; ')}.</p> : null}
      <CaseFilters values={values} facets={facets} />
      <CaseTable list={toJson<CaseList>(list)} hrefFor={hrefFor} isFiltered={isFiltered} />
      {can(actor.role, 'case:write') ? <CaseImport /> : null}
    </>
  )
}
