/**
 * OpenSLO v1 SLO documents (ratio and threshold SLIs over Prometheus) into Firebreak's SLO definition. A mistake is
 * reported with the file's line and the field, and a file with any error imports nothing.
 */
import { isMap, LineCounter, parseAllDocuments, type Document } from 'yaml'
import { z } from 'zod'
import { checkPromql, rateOfSelectors } from '@/lib/telemetry/promql'

const metricSource = z.object({
  type: z.string(),
  spec: z.object({ query: z.string().min(1, 'needs a PromQL query') }).passthrough(),
})

const duration = z.string().regex(/^\d+(m|h|d|w)$/, 'must be a duration like 28d, 4w or 1h')

const sloSchema = z.object({
  apiVersion: z.literal('openslo/v1', { error: 'must be openslo/v1' }),
  kind: z.literal('SLO', { error: 'must be SLO (services, SLIs and alert policies are not imported)' }),
  metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label, like llm-gateway-availability'), displayName: z.string().optional() }),
  spec: z.object({
    description: z.string().optional(),
    service: z.string().min(1),
    indicator: z.object({
      metadata: z.object({ name: z.string() }).partial().optional(),
      spec: z.union([
        z.object({ ratioMetric: z.object({ counter: z.boolean().optional(), good: z.object({ metricSource }).optional(), bad: z.object({ metricSource }).optional(), total: z.object({ metricSource }) }) }),
        z.object({ thresholdMetric: z.object({ metricSource }) }),
      ]),
    }),
    timeWindow: z.array(z.object({ duration, isRolling: z.boolean().optional() })).length(1, 'needs exactly one time window'),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z
      .array(
        z.object({
          displayName: z.string().optional(),
          op: z.enum(['lt', 'lte', 'gt', 'gte']).optional(),
          value: z.number().optional(),
          target: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (99.9 % is 0.999)'),
        }),
      )
      .min(1, 'needs an objective'),
  }),
})

export interface SloDefinition {
  name: string
  displayName: string
  service: string
  description?: string
  objective: number
  periodDays: number
  sli:
    | { kind: 'ratio'; goodQuery?: string; badQuery?: string; totalQuery: string }
    | { kind: 'threshold'; query: string; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number }
}

export interface ImportProblem {
  line: number
  field: string
  message: string
}

export class OpenSloImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.field}: ${p.message}`).join('\n'))
  }
}

function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line
  }
  return 1
}

/** Firebreak evaluates every burn-rate window from one SLI query, so a ratio query names its range as [{{.window}}]. */
function queryProblem(query: string, needsWindow: boolean): string | undefined {
  if (needsWindow && !query.includes('{{.window}}')) return 'write the range as [{{.window}}] (as Sloth does), e.g. sum(rate(http_requests_total{code=~"5.."}[{{.window}}])), or set ratioMetric.counter: true over raw counters'
  const check = checkPromql(query.replaceAll('{{.window}}', '5m'))
  return check.ok ? undefined : `is not valid PromQL: ${check.error}`
}

function periodDays(text: string): number {
  const n = Number(text.slice(0, -1))
  return { m: n / 1440, h: n / 24, d: n, w: n * 7 }[text.slice(-1) as 'm' | 'h' | 'd' | 'w']
}

/** Every SLO in the file, or an error listing each problem with its line; never a partial import. */
export function importOpenSlo(text: string): SloDefinition[] {
  const lines = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: lines })
  const problems: ImportProblem[] = []
  const slos: SloDefinition[] = []
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const error of doc.errors) problems.push({ line: lines.linePos(error.pos[0]).line, field: '(yaml)', message: error.message.split('\n')[0] })
    if (doc.errors.length) continue
    const contents = doc.toJS()
    const items: { value: unknown; path: (string | number)[] }[] = Array.isArray(contents)
      ? contents.map((value, i) => ({ value, path: [i] }))
      : isMap(doc.contents) || contents
        ? [{ value: contents, path: [] }]
        : []
    for (const item of items) {
      const parsed = sloSchema.safeParse(item.value)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = [...item.path, ...(issue.path as (string | number)[])]
          problems.push({ line: lineOf(doc, lines, path), field: issue.path.join('.') || '(document)', message: issue.message })
        }
        continue
      }
      const { metadata, spec } = parsed.data
      const objective = spec.objectives[0]
      const indicator = spec.indicator.spec
      let sli: SloDefinition['sli']
      if ('ratioMetric' in indicator) {
        const { good, bad, total } = indicator.ratioMetric
        if (!good && !bad) {
          problems.push({ line: lineOf(doc, lines, [...item.path, 'spec', 'indicator', 'spec', 'ratioMetric']), field: 'spec.indicator.spec.ratioMetric', message: 'needs good or bad next to total' })
          continue
        }
        // counter: true names raw counters; Firebreak takes their rate over each window
        const ratioQuery = (query: string | undefined) =>
          query === undefined ? undefined : indicator.ratioMetric.counter && !query.includes('{{.window}}') ? rateOfSelectors(query.trim(), '{{.window}}') : query.trim()
        sli = { kind: 'ratio', goodQuery: ratioQuery(good?.metricSource.spec.query), badQuery: ratioQuery(bad?.metricSource.spec.query), totalQuery: ratioQuery(total.metricSource.spec.query)! }
        const ratioSli = sli
        const queryProblems = (['good', 'bad', 'total'] as const).flatMap((part) => {
          const query = ratioSli[`${part}Query`]
          const problem = query === undefined ? undefined : queryProblem(query, true)
          const path = [...item.path, 'spec', 'indicator', 'spec', 'ratioMetric', part, 'metricSource', 'spec', 'query']
          return problem ? [{ line: lineOf(doc, lines, path), field: path.slice(item.path.length).join('.'), message: problem }] : []
        })
        if (queryProblems.length > 0) {
          problems.push(...queryProblems)
          continue
        }
      } else {
        if (objective.op === undefined || objective.value === undefined) {
          problems.push({ line: lineOf(doc, lines, [...item.path, 'spec', 'objectives', 0]), field: 'spec.objectives.0', message: 'a threshold SLI needs op and value' })
          continue
        }
        sli = { kind: 'threshold', query: indicator.thresholdMetric.metricSource.spec.query, op: objective.op, value: objective.value }
        const problem = queryProblem(sli.query, false)
        if (problem) {
          const path = [...item.path, 'spec', 'indicator', 'spec', 'thresholdMetric', 'metricSource', 'spec', 'query']
          problems.push({ line: lineOf(doc, lines, path), field: path.slice(item.path.length).join('.'), message: problem })
          continue
        }
      }
      slos.push({
        name: metadata.name,
        displayName: metadata.displayName ?? metadata.name,
        service: spec.service,
        description: spec.description,
        objective: objective.target,
        periodDays: periodDays(spec.timeWindow[0].duration),
        sli,
      })
    }
  }
  if (problems.length > 0) throw new OpenSloImportError(problems)
  return slos
}
