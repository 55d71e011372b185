import Link from 'next/link'
import type { z } from 'zod'

/** A pasted link with a wrong parameter: say which one and how to write it, rather than a blank page. */
export function ReviewQueryProblem({ error }: { error: z.ZodError }) {
  return (
    <>
      <h1>Weekly SLO review</h1>
      <div className="alert error" role="alert" data-testid="review-query-problem">
        <p style={{ margin: 0 }}>This link’s period is not valid:</p>
        <ul>
          {error.issues.map((issue, i) => (
            <li key={i}>
              <code>{issue.path.join('.') || 'query'}</code> {issue.message}
            </li>
          ))}
        </ul>
        <p style={{ margin: 0 }}>
          Use <code>?week=2026-11-16</code> or <code>?from=2026-11-01&amp;to=2026-11-15</code>, or <Link href="/review">show the last complete week</Link>.
        </p>
      </div>
    </>
  )
}
