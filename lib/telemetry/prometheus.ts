import { z } from 'zod'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from './metrics-source'

const errorResponse = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() })
const sampleValue = z.tuple([z.number(), z.string()])
const labelSet = z.record(z.string(), z.string())

const matrixResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labelSet, values: z.array(sampleValue) })) }),
  }),
  errorResponse,
])

const instantResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labelSet, value: sampleValue })) }),
      z.object({ resultType: z.literal('scalar'), result: sampleValue }),
    ]),
  }),
  errorResponse,
])

const seriesResponse = z.discriminatedUnion('status', [z.object({ status: z.literal('success'), data: z.array(labelSet) }), errorResponse])

export interface PrometheusOptions {
  url: string
  bearerToken?: string
  basicAuth?: { username: string; password: string }
  timeoutMs?: number
}

/** Prometheus sends values as strings, infinities as "+Inf" and "-Inf", which Number() would read as NaN. */
function sample([t, v]: [number, string]): [number, number] {
  return [t, v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v)]
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

  private async post<T>(path: string, params: URLSearchParams, schema: z.ZodType<T>): Promise<Exclude<T, { status: 'error' }>> {
    const timeoutMs = this.options.timeoutMs ?? 10_000
    params.set('timeout', `${Math.max(1, Math.floor(timeoutMs / 1000))}s`)
    let response: Response
    try {
      response = await fetch(`${this.options.url.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers() },
        body: params,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      throw new MetricsSourceError(
        timedOut ? `Prometheus did not answer within ${timeoutMs / 1000} s: narrow the time range or use a recorded series` : 'Prometheus is unreachable',
        'backend',
      )
    }
    if (response.status === 401 || response.status === 403) throw new MetricsSourceError(`Prometheus refused Firebreak's credentials (HTTP ${response.status}): check PROMETHEUS_BEARER_TOKEN or PROMETHEUS_USERNAME`, 'backend')
    const json = await response.json().catch(() => null)
    const parsed = schema.safeParse(json)
    if (!parsed.success) throw new MetricsSourceError(`Prometheus answered ${response.status} with something that is not a query result`, 'backend')
    const data = parsed.data as { status: string; error?: string; errorType?: string }
    // bad_data is a syntax or argument error; execution is a query that cannot be evaluated (many-to-many matching,
    // duplicate series): both are the query's fault, to show its author. Timeouts and the rest are the backend's.
    if (data.status === 'error') throw new MetricsSourceError(`Prometheus: ${data.error}`, data.errorType === 'bad_data' || data.errorType === 'execution' ? 'query' : 'backend')
    return parsed.data as Exclude<T, { status: 'error' }>
  }

  async queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    const params = new URLSearchParams({ query, start: String(range.start.getTime() / 1000), end: String(range.end.getTime() / 1000), step: String(range.stepSeconds) })
    const body = await this.post('/api/v1/query_range', params, matrixResponse)
    return body.data.result.map((series) => ({ labels: series.metric, points: series.values.map(sample) }))
  }

  async queryInstant(query: string, time: Date): Promise<InstantSample[]> {
    const body = await this.post('/api/v1/query', new URLSearchParams({ query, time: String(time.getTime() / 1000) }), instantResponse)
    if (body.data.resultType === 'scalar') return [{ labels: {}, value: sample(body.data.result) }]
    return body.data.result.map((s) => ({ labels: s.metric, value: sample(s.value) }))
  }

  async series(matchers: string[], range: { start: Date; end: Date }): Promise<Record<string, string>[]> {
    const params = new URLSearchParams({ start: String(range.start.getTime() / 1000), end: String(range.end.getTime() / 1000) })
    for (const m of matchers) params.append('match[]', m)
    const body = await this.post('/api/v1/series', params, seriesResponse)
    return body.data
  }
}
