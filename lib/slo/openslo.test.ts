import { describe, expect, it } from 'vitest'
import { readFixture } from '@/tests/fixtures'
import { importOpenSlo, OpenSloImportError } from './openslo'

function problemsOf(text: string) {
  try {
    importOpenSlo(text)
  } catch (error) {
    if (error instanceof OpenSloImportError) return error.problems
    throw error
  }
  return []
}

describe('OpenSLO import', () => {
  it('reads a ratio SLO over Prometheus from the OpenSLO Go SDK examples', () => {
    const slos = importOpenSlo(readFixture('slo/openslo/go-sdk/v1/slos.yaml'))
    expect(slos).toHaveLength(1)
    expect(slos[0]).toMatchObject({
      name: 'web-availability',
      service: 'web',
      objective: 0.995,
      periodDays: 7,
      sli: {
        kind: 'ratio',
        // counter: true in the file: each selector becomes its rate over the window being evaluated
        goodQuery: 'sum(rate(http_requests{k8s_cluster="prod",component="web",code=~"2xx|4xx"}[{{.window}}]))',
        totalQuery: 'sum(rate(http_requests{k8s_cluster="prod",component="web"}[{{.window}}]))',
      },
    })
  })

  it('reads a threshold SLO with its operator and value', () => {
    const [slo] = importOpenSlo(readFixture('slo/openslo/OpenSLO-examples/budgeting-method/occurences-slo.yaml'))
    expect(slo).toMatchObject({ name: 'search-slo', objective: 0.99, periodDays: 14, sli: { kind: 'threshold', op: 'lt', value: 500 } })
  })

  it('reads a TTFT p95 SLO for LLM serving', () => {
    const [slo] = importOpenSlo(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: rag-chat-ttft
  displayName: Time to first token under 2 s
spec:
  service: rag-chat
  indicator:
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket[5m])))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - op: lt
      value: 2
      target: 0.99
`)
    expect(slo).toMatchObject({ periodDays: 28, sli: { kind: 'threshold', op: 'lt', value: 2 } })
  })

  it('names the line and the field of each mistake and imports nothing', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: gateway-availability
spec:
  service: llm-gateway
  indicator:
    spec:
      ratioMetric:
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[5m]))
  timeWindow:
    - duration: thirty days
  budgetingMethod: Occurrences
  objectives:
    - target: 99.9
`
    const problems = problemsOf(text)
    expect(problems).toEqual([
      { line: 16, field: 'spec.timeWindow.0.duration', message: 'must be a duration like 28d, 4w or 1h' },
      { line: 19, field: 'spec.objectives.0.target', message: 'must be below 1 (99.9 % is 0.999)' },
    ])
  })

  it('reports broken YAML with its line', () => {
    const [problem] = problemsOf('apiVersion: openslo/v1\nkind: SLO\nmetadata: [unclosed\n')
    expect(problem.field).toBe('(yaml)')
    expect(problem.line).toBeGreaterThanOrEqual(3)
  })

  it('imports nothing when one SLO of several is wrong', () => {
    const good = readFixture('slo/openslo/OpenSLO-examples/budgeting-method/occurences-slo.yaml')
    expect(problemsOf(`${good}\n---\n${good.replace('target: 0.99', 'target: 2')}`)).toHaveLength(1)
  })

  it('asks for the window placeholder in a ratio over rates, with the line and field, and imports nothing', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: gateway-availability
spec:
  service: llm-gateway
  indicator:
    spec:
      ratioMetric:
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{code=~"5.."}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[{{.window}}]))
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`
    expect(problemsOf(text)).toEqual([{ line: 14, field: 'spec.indicator.spec.ratioMetric.bad.metricSource.spec.query', message: expect.stringContaining('[{{.window}}]') }])
  })
})

