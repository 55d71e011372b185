'use client'

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="panel" role="alert">
      <h1>This page could not load</h1>
      <p>
        Something failed on the server{error.digest ? <> (reference <code>{error.digest}</code>)</> : null}. Nothing you
        entered was lost. If the database is down, the overview says so; otherwise try again.
      </p>
      <button type="button" className="primary" onClick={reset}>
        Try again
      </button>
    </div>
  )
}
