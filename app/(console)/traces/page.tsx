import type { Metadata } from 'next'
import { parseSearchQuery, searchHref } from '@/components/traces/search-query'
import { TraceIdForm } from '@/components/traces/trace-id-form'
import { TraceSearch } from '@/components/traces/trace-search'
import { requirePageActor } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Traces' }

/**
 * Find a trace: by its id (pasted from a log line or an alert) or by a search whose state is the URL. The results load
 * in the browser: a slow or dead trace backend must not hold the page, and each source's failure is shown beside the
 * others' results.
 */
export default async function TracesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor()
  const raw = await searchParams
  const { query, problems } = parseSearchQuery(raw)
  // Landing here plain, the responder most likely has an id to paste; with a search in the link, they came for it.
  const isPlain = Object.keys(raw).length === 0
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Traces</h1>
          <p className="muted" style={{ margin: 0 }}>
            What each model call in a request received and returned. Open a trace by its id, or search the trace sources.
          </p>
        </div>
      </div>
      <TraceIdForm autoFocus={isPlain} />
      <TraceSearch key={searchHref(query)} query={query} problems={problems} />
    </>
  )
}
