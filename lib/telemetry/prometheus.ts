import { z } from 'zod'
import { MetricsSourceError, type MetricsSource, type RangeSeries } from './metrics-source'

const matrixResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
    }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
])

export interface PrometheusOptions {
  url: string
  bearerToken?: string
  basicAuth?: { username: string; password: string }
  timeoutMs?: number
}

/** The Prometheus HTTP API (also served by Thanos, Mimir, VictoriaMetrics). Every response is validated. */
export class PrometheusSource implements MetricsSource {
  readonly name = 'Prometheus'
  constructor(private readonly options: PrometheusOptions) {}

  private headers(): Record<string, string> {
    if (this.options.bearerToken) return { authorization: `Bearer ${this.options.bearerToken}` }
    if (this.options.basicAuth) return { authorization: `Basic ${Buffer.from(`${this.options.basicAuth.username}:${this.options.basicAuth.password}`).toString('base64')}` }
    return {}
  }

  async queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    const body = new URLSearchParams({
      query,
      start: String(range.start.getTime() / 1000),
      end: String(range.end.getTime() / 1000),
      step: String(range.stepSeconds),
      timeout: `${Math.floor(timeoutMs / 1000)}s`,
    })
    let response: Response
    try {
      response = await fetch(`${this.options.url.replace(/\/$/, '')}/api/v1/query_range`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers() },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new MetricsSourceError(
        timedOut ? `Prometheus did not answer within ${timeoutMs / 1000} s: narrow the time range or use a recorded series` : 'Prometheus is unreachable',
        'backend',
      )
    }
    const json = await response.json().catch(() => null)
    const parsed = matrixResponse.safeParse(json)
    if (!parsed.success) throw new MetricsSourceError(`Prometheus answered ${response.status} with something that is not a query result`, 'backend')
    if (parsed.data.status === 'error') throw new MetricsSourceError(`Prometheus: ${parsed.data.error}`, parsed.data.errorType === 'bad_data' ? 'query' : 'backend')
    return parsed.data.data.result.map((series) => ({ labels: series.metric, points: series.values.map(([t, v]) => [t, Number(v)] as [number, number]) }))
  }
}
