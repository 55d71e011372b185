'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { LIMIT_CHOICES, RANGE_PRESETS, parseSearchQuery, searchHref, type TraceSearchQuery } from './search-query'
import { TraceResults } from './trace-results'

/** "2026-11-22T04:30:00.000Z" -> "2026-11-22T04:30", a datetime-local input's value read as UTC. */
function toInputValue(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : ''
}

/**
 * The search form and its results. The form writes the search into the URL (a native GET form without JavaScript,
 * router.push with it), and the results read it from there, so a pasted link repeats the search.
 */
export function TraceSearch({ query, problems }: { query: TraceSearchQuery; problems: string[] }) {
  const router = useRouter()
  const [isCustom, setIsCustom] = useState(Boolean(query.start && query.end))
  const [attributes, setAttributes] = useState<string[]>(query.attributes.length ? query.attributes : [''])
  const [formProblems, setFormProblems] = useState<string[]>([])

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const params = new URLSearchParams()
    for (const [key, value] of form.entries()) if (typeof value === 'string' && value.trim()) params.append(key, value.trim())
    if (isCustom) params.delete('range')
    else {
      params.delete('start')
      params.delete('end')
    }
    const parsed = parseSearchQuery(params)
    setFormProblems(parsed.problems)
    if (parsed.problems.length === 0) router.push(searchHref(parsed.query))
  }

  return (
    <>
      <form className="panel trace-search-form" method="get" action="/traces" role="search" aria-label="Search traces" onSubmit={submit} noValidate>
        <div className="form-row">
          <label>
            Service
            <input name="service" defaultValue={query.service ?? ''} placeholder="e.g. rag-gateway" autoComplete="off" spellCheck={false} />
          </label>
          <label>
            Model
            <input name="model" defaultValue={query.model ?? ''} placeholder="e.g. llama-3-70b-instruct" autoComplete="off" spellCheck={false} />
          </label>
          <label>
            Status
            <select name="status" defaultValue={query.status ?? ''}>
              <option value="">any</option>
              <option value="error">with errors</option>
              <option value="ok">without errors</option>
            </select>
          </label>
          <label className="trace-narrow">
            Min duration (ms)
            <input name="minDurationMs" type="number" min={0} step="any" inputMode="decimal" defaultValue={query.minDurationMs ?? ''} />
          </label>
          <label className="trace-narrow">
            Max duration (ms)
            <input name="maxDurationMs" type="number" min={0} step="any" inputMode="decimal" defaultValue={query.maxDurationMs ?? ''} />
          </label>
        </div>
        <div className="form-row">
          <fieldset className="trace-attributes">
            <legend>Attributes (key:value, all must match)</legend>
            {attributes.map((value, k) => (
              <span key={k} className="trace-attribute">
                <input
                  name="attr"
                  aria-label={`Attribute filter ${k + 1}`}
                  className="mono"
                  value={value}
                  onChange={(e) => setAttributes((list) => list.map((v, j) => (j === k ? e.target.value : v)))}
                  placeholder="e.g. pipeline:rag-chat"
                  autoComplete="off"
                  spellCheck={false}
                />
                {attributes.length > 1 ? (
                  <button type="button" aria-label={`Remove attribute filter ${k + 1}`} onClick={() => setAttributes((list) => list.filter((_, j) => j !== k))}>
                    ×
                  </button>
                ) : null}
              </span>
            ))}
            <button type="button" onClick={() => setAttributes((list) => [...list, ''])}>Add attribute</button>
          </fieldset>
        </div>
        <div className="form-row">
          <label>
            Time range
            <select name="range" defaultValue={isCustom ? 'custom' : query.range} onChange={(e) => setIsCustom(e.target.value === 'custom')}>
              {RANGE_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
              <option value="custom">Custom (UTC)…</option>
            </select>
          </label>
          {isCustom ? (
            <>
              <label>
                From (UTC)
                <input type="datetime-local" name="start" step={60} defaultValue={toInputValue(query.start)} required />
              </label>
              <label>
                To (UTC)
                <input type="datetime-local" name="end" step={60} defaultValue={toInputValue(query.end)} required />
              </label>
            </>
          ) : null}
          <label className="trace-narrow">
            At most
            <select name="limit" defaultValue={String(query.limit)}>
              {LIMIT_CHOICES.map((n) => <option key={n} value={n}>{n} traces</option>)}
            </select>
          </label>
          <button type="submit" className="primary">Search</button>
          <a className="button" href="/traces">Clear</a>
        </div>
        {formProblems.length ? (
          <div className="alert error" role="alert">
            Fix the search first:
            <ul>{formProblems.map((p) => <li key={p}>{p}</li>)}</ul>
          </div>
        ) : null}
      </form>
      {problems.length ? (
        <div className="alert warn-note" role="status" data-testid="trace-search-problems">
          Parts of this link were ignored:
          <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : null}
      <TraceResults query={query} />
    </>
  )
}
