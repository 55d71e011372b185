/**
 * A chart drawn on the server as one SVG path, for the print view (recharts measures the page in the browser, which
 * a printed page or PDF does not wait for). Pure: points in, path out.
 */
export interface Sparkline {
  path: string
  /** the y of a reference value (0 budget left), or null when outside the drawn range */
  referenceY: number | null
}

export function sparkline(points: [number, number | null][], size: { width: number; height: number }, yRange: { min: number; max: number }, reference = 0): Sparkline {
  const drawn = points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]))
  const { width, height } = size
  const span = yRange.max - yRange.min || 1
  const y = (v: number) => height - ((Math.min(yRange.max, Math.max(yRange.min, v)) - yRange.min) / span) * height
  const referenceY = reference >= yRange.min && reference <= yRange.max ? round(y(reference)) : null
  if (drawn.length === 0) return { path: '', referenceY }
  const t0 = drawn[0][0]
  const tSpan = drawn.at(-1)![0] - t0 || 1
  const path = drawn.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${round(((t - t0) / tSpan) * width)},${round(y(v))}`).join(' ')
  return { path, referenceY }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
