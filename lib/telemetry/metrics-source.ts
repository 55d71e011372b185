/** What Firebreak needs from a metrics backend. Prometheus implements it; issue-specific sources (demo) may too. */
export interface RangeSeries {
  labels: Record<string, string>
  points: [number, number][] // [unix seconds, value]
}

export interface InstantSample {
  labels: Record<string, string>
  /** [unix seconds, value] */
  value: [number, number]
}

export interface MetricsSource {
  /** shown to users: "Prometheus", "Demo data" */
  readonly name: string
  /** true when the data is generated, so every panel can say so */
  readonly isDemo?: boolean
  queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]>
  /** A scalar or vector result at one instant (a scalar comes back as one sample without labels). */
  queryInstant(query: string, time: Date): Promise<InstantSample[]>
  /** The label sets of the series matching any of the selectors in [start, end]. */
  series(matchers: string[], range: { start: Date; end: Date }): Promise<Record<string, string>[]>
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
