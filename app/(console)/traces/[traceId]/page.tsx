import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { TraceIdForm } from '@/components/traces/trace-id-form'
import { TraceView } from '@/components/traces/trace-view'
import { can } from '@/lib/auth/permissions'
import { requirePageActor } from '@/lib/auth/session'
import { isSpanId, normalizeTraceId } from '@/lib/traces/model'

/** Route params arrive URL-encoded or not depending on the router; a malformed escape is just a wrong id. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

type Props = { params: Promise<{ traceId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = normalizeTraceId(decode((await params).traceId))
  return { title: id ? `Trace ${id.slice(0, 8)}…` : 'Trace' }
}

/**
 * A trace's waterfall. The id in the address is checked here; an uppercase or 16-digit id is redirected to its
 * canonical form so every link to one trace is the same link. `?span=<id>` opens that span.
 */
export default async function TracePage({ params, searchParams }: Props) {
  const actor = await requirePageActor()
  const raw = decode((await params).traceId)
  const spanParam = (await searchParams).span
  const span = typeof spanParam === 'string' && isSpanId(spanParam.trim().toLowerCase()) ? spanParam.trim().toLowerCase() : null
  const traceId = normalizeTraceId(raw)
  if (!traceId) {
    return (
      <>
        <div className="page-head">
          <div>
            <p className="muted small" style={{ margin: 0 }}><Link href="/traces">Traces</Link> / trace</p>
            <h1>Not a trace id</h1>
          </div>
        </div>
        <div className="alert error" role="alert" data-testid="trace-bad-id">
          “<span className="mono">{raw.length > 80 ? `${raw.slice(0, 77)}…` : raw}</span>” is not a trace id: a trace id is 32 hexadecimal digits (16 for older Jaeger ids).
        </div>
        <TraceIdForm autoFocus />
      </>
    )
  }
  if (traceId !== raw) redirect(`/traces/${traceId}${span ? `?span=${span}` : ''}`)
  // The <link> makes the browser start loading the trace as it reads the page's HTML instead of after the scripts have
  // run; the view's fetch then takes the preloaded answer (a 100,000-span trace is several MB: this saves the time the
  // scripts take). ReactDOM.preload() would not do: called after the layout's head is sent, it only reaches the client
  // runtime.
  return (
    <>
      <link rel="preload" href={`/api/traces/${traceId}`} as="fetch" crossOrigin="anonymous" />
      <TraceView traceId={traceId} initialSpanId={span} canPin={can(actor.role, 'case:write')} />
    </>
  )
}
