/**
 * The demo's metrics backend: the PromQL Firebreak sends Prometheus, answered from generated scenario data by the
 * evaluator in ./evaluator.ts, with results shaped exactly as PrometheusSource shapes Prometheus' answers.
 */
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from '../metrics-source'
import { evaluateInstant, evaluateRange, selectSeries, type EvaluatorOptions } from './evaluator'
import { ScenarioStore, type SampleStore, type ScenarioPlacement, type ScenarioStoreOptions } from './store'

export class DemoMetricsSource implements MetricsSource {
  readonly name = 'Demo data'
  readonly isDemo = true

  constructor(
    private readonly store: SampleStore,
    private readonly options: EvaluatorOptions = {},
  ) {}

  /**
   * A demo fleet: several scenarios side by side, placed in wall-clock time. The store integrates its counters'
   * history in the background (warmUp: false to skip), so the first query does not wait for it.
   */
  static forScenarios(placements: ScenarioPlacement[], options: ScenarioStoreOptions & EvaluatorOptions & { warmUp?: boolean } = {}): DemoMetricsSource {
    const store = new ScenarioStore(placements, options)
    if (options.warmUp !== false) void store.warmUp()
    return new DemoMetricsSource(store, options)
  }

  async queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    return answer(() => evaluateRange(query, this.store, range, this.options).map((s) => ({ labels: { ...s.labels }, points: s.points })))
  }

  async queryInstant(query: string, time: Date): Promise<InstantSample[]> {
    return answer(() => {
      const result = evaluateInstant(query, this.store, time, this.options)
      const seconds = time.getTime() / 1000
      if (result.resultType === 'scalar') return [{ labels: {}, value: [seconds, result.value] }]
      return result.samples.map((s) => ({ labels: { ...s.labels }, value: [seconds, s.value] }))
    })
  }

  async series(matchers: string[], range: { start: Date; end: Date }): Promise<Record<string, string>[]> {
    return answer(() => selectSeries(this.store, matchers, range).map((labels) => ({ ...labels })))
  }
}

/** Query errors pass through; anything else is a fault of the demo itself, reported as a backend error, never a crash. */
function answer<T>(evaluate: () => T): T {
  try {
    return evaluate()
  } catch (error) {
    if (error instanceof MetricsSourceError) throw error
    throw new MetricsSourceError(`The demo data failed to evaluate this query: ${(error as Error).message}`, 'backend')
  }
}
