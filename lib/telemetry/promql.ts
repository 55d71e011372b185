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

/**
 * Wraps every instant vector selector in rate(<selector>[<range>]): how a tool turns an OpenSLO ratio over raw
 * counters (counter: true, e.g. sum(http_requests{code=~"5.."})) into per-window rates. Selectors that already carry a
 * range (inside a function call) are left alone.
 */
export function rateOfSelectors(expression: string, range: string): string {
  const tree = parser.parse(expression)
  const spans: [number, number][] = []
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        if (node.node.parent?.name !== 'MatrixSelector') spans.push([node.from, node.to])
        return false
      }
      return undefined
    },
  })
  let out = expression
  for (const [from, to] of spans.sort((a, b) => b[0] - a[0])) out = `${out.slice(0, from)}rate(${out.slice(from, to)}[${range}])${out.slice(to)}`
  return out
}
