/** The values a PromQL expression evaluates to at one instant. Times are milliseconds since the epoch. */
import type { Labels } from './labels'

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string'

/** [milliseconds, value] */
export type Point = [number, number]

export interface Sample {
  labels: Labels
  value: number
  /** when the sample was taken: the stored sample's time for a selector (what timestamp() reads), else the evaluation time */
  timestampMs: number
}

/** One series' points inside a range [startMs, endMs] (both ends included, as in Prometheus 2). */
export interface RangeWindow {
  labels: Labels
  points: Point[]
}

export interface MatrixValue {
  type: 'matrix'
  windows: RangeWindow[]
  startMs: number
  endMs: number
  /** the range as written (`[5m]`), what rate() divides by */
  rangeMs: number
}

export type Value =
  | { type: 'scalar'; value: number }
  | { type: 'string'; value: string }
  | { type: 'vector'; samples: Sample[] }
  | MatrixValue

export function scalar(value: number): Value {
  return { type: 'scalar', value }
}

export function vector(samples: Sample[]): Value {
  return { type: 'vector', samples }
}
