/**
 * One load of the fleet view: the whole batch at once, each query with its own time limit, and whatever answered is
 * joined. A failed query blanks its columns and is named in `failed`; only when every query fails for the backend's
 * sake does the load itself fail, so the caller can say the backend is down.
 */
import { MetricsSourceError, type MetricsSource } from '@/lib/telemetry/metrics-source'
import type { FleetConfig } from './config'
import { joinFleet, type FleetResults } from './join'
import { buildFleetQueries, livenessRange, type FleetQuery } from './queries'
import type { FailedQuery, FleetView } from './types'

export interface FleetLoad {
  view: FleetView
  failed: FailedQuery[]
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MetricsSourceError(message, 'backend')), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

function run(source: MetricsSource, query: FleetQuery, at: Date, config: FleetConfig): Promise<unknown> {
  const work: Promise<unknown> = query.kind === 'instant' ? source.queryInstant(query.query, at) : source.queryRange(query.query, livenessRange(at, config))
  return withTimeout(work, config.queryTimeoutMs, `${source.name} did not answer within ${config.queryTimeoutMs / 1000} s`)
}

export async function loadFleet(source: MetricsSource, config: FleetConfig, at: Date, options: { pipeline?: string | null } = {}): Promise<FleetLoad> {
  const queries = buildFleetQueries(config)
  const settled = await Promise.allSettled(queries.map((q) => run(source, q, at, config)))
  const results: FleetResults = { instant: {}, range: {} }
  const failed: (FailedQuery & { kind: 'query' | 'backend' })[] = []
  settled.forEach((outcome, i) => {
    const query = queries[i]
    if (outcome.status === 'fulfilled') {
      if (query.kind === 'instant') results.instant[query.id] = outcome.value as never
      else results.range[query.id] = outcome.value as never
      return
    }
    const error = outcome.reason
    // a wrong configured query is the configuration's fault, not the backend's: say which one
    const kind = error instanceof MetricsSourceError ? error.kind : 'backend'
    const message = error instanceof MetricsSourceError ? error.message : `${source.name} failed: ${(error as Error)?.message ?? String(error)}`
    failed.push({ id: query.id, label: query.label, error: kind === 'query' ? `the query is wrong (${message}): check fleet.metrics or fleet.queries in the configuration` : message, kind })
  })
  if (failed.length === queries.length && failed.some((f) => f.kind === 'backend')) {
    throw new MetricsSourceError(failed.find((f) => f.kind === 'backend')!.error, 'backend')
  }
  return { view: joinFleet(results, config, { at, pipeline: options.pipeline }), failed: failed.map(({ kind: _kind, ...f }) => f) }
}
