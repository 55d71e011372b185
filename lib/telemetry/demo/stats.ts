/** Numeric helpers shared by the *_over_time functions and the aggregations, computed the way Prometheus does. */

/** The φ-quantile of values, interpolating between neighbours (quantile() and quantile_over_time()); NaN sorts first. */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN
  if (q < 0) return -Infinity
  if (q > 1) return Infinity
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b))
  const n = sorted.length
  const rank = q * (n - 1)
  const lower = Math.max(0, Math.floor(rank))
  const upper = Math.min(n - 1, lower + 1)
  const weight = rank - Math.floor(rank)
  return sorted[lower] * (1 - weight) + sorted[upper] * weight
}

/** The mean, accumulated incrementally as Prometheus does so that infinities come out the same. */
export function incrementalMean(values: number[]): number {
  let mean = values[0]
  for (let i = 1; i < values.length; i++) {
    const v = values[i]
    const count = i + 1
    if (Math.abs(mean) === Infinity) {
      if (Math.abs(v) === Infinity && mean > 0 === v > 0) continue
      if (Number.isFinite(v)) continue
    }
    mean += v / count - mean / count
  }
  return mean
}

/** Population variance (Welford), as stdvar() and stdvar_over_time(). */
export function variance(values: number[]): number {
  let mean = values[0]
  let sum = 0
  for (let i = 1; i < values.length; i++) {
    const delta = values[i] - mean
    mean += delta / (i + 1)
    sum += delta * (values[i] - mean)
  }
  return sum / values.length
}

export function minimum(values: number[]): number {
  return values.reduce((min, v) => (min > v || Number.isNaN(min) ? v : min))
}

export function maximum(values: number[]): number {
  return values.reduce((max, v) => (max < v || Number.isNaN(max) ? v : max))
}
