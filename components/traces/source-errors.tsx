import type { SourceError } from './types'

/**
 * Which trace sources did not answer, each with its own message ("Tempo did not answer: timed out after 10 s"). Shown
 * beside what the other sources did answer, never instead of it.
 */
export function SourceErrors({ errors, partialResults = false }: { errors: SourceError[]; partialResults?: boolean }) {
  if (errors.length === 0) return null
  return (
    <div className="alert warn-note trace-source-errors" role="status" data-testid="trace-source-errors">
      {partialResults ? <strong>{errors.length === 1 ? 'One source' : `${errors.length} sources`} did not answer; what is shown comes from the others.</strong> : null}
      <ul>
        {errors.map((e, k) => (
          <li key={`${e.source}-${k}`}>
            <strong>{e.source}</strong> did not answer: {e.message}
          </li>
        ))}
      </ul>
    </div>
  )
}
