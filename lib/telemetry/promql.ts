/** PromQL syntax checks with Prometheus' own grammar (the parser its web UI uses), before a query leaves Firebreak. */
import { parser } from '@prometheus-io/lezer-promql'

export interface PromqlCheck {
  ok: boolean
  /** where the first syntax error is, for the editor and for a failing live block */
  error?: string
}

export function checkPromql(expression: string): PromqlCheck {
  const text = expression.trim()
  if (!text) return { ok: false, error: 'the query is empty' }
  const tree = parser.parse(text)
  let errorAt = -1
  tree.iterate({
    enter(node) {
      if (errorAt === -1 && node.type.isError) errorAt = node.from
    },
  })
  if (errorAt === -1) return { ok: true }
  const line = text.slice(0, errorAt).split('\n').length
  const near = text.slice(Math.max(0, errorAt - 15), errorAt + 15).replace(/\s+/g, ' ')
  return { ok: false, error: `syntax error at line ${line}, near “${near}”` }
}
