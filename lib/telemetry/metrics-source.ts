/** What Firebreak needs from a metrics backend. Prometheus implements it; issue-specific sources (demo) may too. */
export interface RangeSeries {
  labels: Record<string, string>
  points: [number, number][] // [unix seconds, value]
}

export interface MetricsSource {
  readonly name: string
  queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]>
}

export class MetricsSourceError extends Error {
  constructor(
    message: string,
    /** "query" when the query itself is wrong (show it to the author), "backend" when the backend is down or slow */
    readonly kind: 'query' | 'backend',
  ) {
    super(message)
  }
}

/** Prometheus caps a range query at 11,000 points per series; stay under it and near one point per pixel. */
export function chooseStep(start: Date, end: Date, targetPoints = 300): number {
  const rangeSeconds = Math.max(1, (end.getTime() - start.getTime()) / 1000)
  return Math.max(1, Math.ceil(rangeSeconds / 11_000), Math.ceil(rangeSeconds / targetPoints))
}
