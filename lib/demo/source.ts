import 'server-only'
import { getDb } from '@/lib/db'
import { DemoMetricsSource } from '@/lib/telemetry/demo/demo-source'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from '@/lib/telemetry/metrics-source'
import { DEMO_EPOCH_SETTING, demoStory } from './story'

/**
 * The demo's MetricsSource: the demo story's scenarios, placed relative to the epoch the seed stored, answered by the
 * PromQL evaluator in lib/telemetry/demo. The epoch is read from the database on first use (the demo launcher seeds
 * before the app starts); until the seed has run there is nothing to show, and panels say so.
 */
export class DemoStorySource implements MetricsSource {
  readonly name = 'Demo data'
  readonly isDemo = true
  private inner: Promise<MetricsSource> | null = null

  private source(): Promise<MetricsSource> {
    this.inner ??= (async () => {
      const row = await getDb().setting.findUnique({ where: { key: DEMO_EPOCH_SETTING } })
      if (!row) {
        this.inner = null
        throw new MetricsSourceError('The demo data has not been seeded yet: start Firebreak with `npm run demo`', 'backend')
      }
      const epoch = new Date(row.value as string)
      // forScenarios integrates the counters' history in the background, so the first panels answer quickly
      return DemoMetricsSource.forScenarios(demoStory(epoch))
    })()
    return this.inner
  }

  async queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    return (await this.source()).queryRange(query, range)
  }

  async queryInstant(query: string, time: Date): Promise<InstantSample[]> {
    return (await this.source()).queryInstant(query, time)
  }

  async series(matchers: string[], range: { start: Date; end: Date }): Promise<Record<string, string>[]> {
    return (await this.source()).series(matchers, range)
  }
}
