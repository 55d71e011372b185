'use client'
import { useRouter } from 'next/navigation'
import { useId, useState, type FormEvent } from 'react'
import { parseTraceIdInput } from './search-query'

/** Paste a trace id from a log line, an alert annotation or an exemplar, and go straight to its waterfall. */
export function TraceIdForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const router = useRouter()
  const [value, setValue] = useState('')
  const [problem, setProblem] = useState<{ message: string; suggestion?: string } | null>(null)
  const errorId = useId()
  const open = (traceId: string) => router.push(`/traces/${traceId}`)
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const parsed = parseTraceIdInput(value)
    if (parsed.ok) {
      setProblem(null)
      open(parsed.traceId)
    } else setProblem({ message: parsed.message, suggestion: parsed.suggestion })
  }
  return (
    <form className="panel trace-id-form" onSubmit={submit} role="search" aria-label="Open a trace by id" noValidate>
      <label>
        Trace id
        <span className="trace-id-row">
          <input
            name="traceId"
            className="mono"
            value={value}
            onChange={(e) => {
              setValue(e.target.value)
              if (problem) setProblem(null)
            }}
            placeholder="4bf92f3577b34da6a3ce929d0e0e4736"
            autoComplete="off"
            spellCheck={false}
            autoFocus={autoFocus}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            data-testid="trace-id-input"
          />
          <button type="submit" className="primary">Open trace</button>
        </span>
      </label>
      {problem ? (
        <p id={errorId} className="field-error" role="alert">
          {problem.message}
          {problem.suggestion ? (
            <>
              {' '}
              <button type="button" className="trace-link-button" onClick={() => open(problem.suggestion!)}>
                Open <span className="mono">{problem.suggestion}</span>
              </button>
            </>
          ) : null}
        </p>
      ) : (
        <p className="muted small trace-id-help">From a log line, an alert annotation or an exemplar: 32 hex digits, or 16 for older Jaeger ids.</p>
      )}
    </form>
  )
}
