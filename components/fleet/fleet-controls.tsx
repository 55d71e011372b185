'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import type { FormEvent } from 'react'

/** The URL is the view: ?pipeline= and ?at= (UTC), so a link pasted into the incident channel shows the same fleet. */
export function fleetHref(params: { at?: string | null; pipeline?: string | null }): string {
  const search = new URLSearchParams()
  if (params.pipeline) search.set('pipeline', params.pipeline)
  if (params.at) search.set('at', params.at)
  const query = search.toString()
  return query ? `/fleet?${query}` : '/fleet'
}

/** "2026-11-22T04:30:00.000Z" -> "2026-11-22T04:30", the value of a datetime-local input read as UTC */
function toInputValue(iso: string | null): string {
  return iso ? iso.slice(0, 16) : ''
}

export function FleetControls({ at, pipeline, pipelines, shownAt }: { at: string | null; pipeline: string | null; pipelines: string[]; shownAt: string | null }) {
  const router = useRouter()
  const options = [...new Set([...pipelines, ...(pipeline ? [pipeline] : [])])].sort()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const moment = String(form.get('at') ?? '')
    router.push(fleetHref({ pipeline: String(form.get('pipeline') ?? ''), at: moment ? `${moment}:00Z` : null }))
  }
  return (
    <form className="panel form-row fleet-controls" method="get" action="/fleet" role="search" aria-label="Fleet view" onSubmit={submit}>
      <label>
        Pipeline
        <select name="pipeline" defaultValue={pipeline ?? ''} key={`pipeline-${pipeline ?? ''}`}>
          <option value="">all pipelines</option>
          {options.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <label>
        Moment (UTC)
        <input type="datetime-local" name="at" step={60} defaultValue={toInputValue(at)} key={`at-${at ?? ''}`} aria-describedby="fleet-at-help" />
      </label>
      <button type="submit" className="primary">Show</button>
      {at ? <Link className="button" href={fleetHref({ pipeline })}>Back to live</Link> : null}
      {shownAt ? <Link className="button" href={fleetHref({ pipeline, at: shownAt })} title="A link to the fleet as it is shown now, to paste into the incident channel">Link to this moment</Link> : null}
      <span id="fleet-at-help" className="muted small">Empty for live. A past moment shows the fleet as it was, e.g. when an incident started.</span>
    </form>
  )
}
