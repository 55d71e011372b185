/**
 * SLI arithmetic over samples: pure functions the SLO evaluation feeds with query results.
 *
 * A threshold SLI (OpenSLO thresholdMetric, e.g. "GPU framebuffer share below 0.95") is budgeted by time slices: the
 * error ratio of a window is the share of its slices in which the condition did not hold (OpenSLO's Timeslices).
 */
export type ThresholdOp = 'lt' | 'lte' | 'gt' | 'gte'

export function thresholdHolds(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case 'lt':
      return value < threshold
    case 'lte':
      return value <= threshold
    case 'gt':
      return value > threshold
    case 'gte':
      return value >= threshold
  }
}

/** Share of slices in (from, to] where the condition failed; null when no slice falls in the window. */
export function thresholdErrorRatio(points: [number, number][], op: ThresholdOp, threshold: number, fromSeconds = -Infinity, toSeconds = Infinity): number | null {
  let total = 0
  let bad = 0
  for (const [t, v] of points) {
    if (t <= fromSeconds || t > toSeconds || Number.isNaN(v)) continue
    total++
    if (!thresholdHolds(v, op, threshold)) bad++
  }
  return total === 0 ? null : bad / total
}

export interface StepCounts {
  /** end of the step, unix seconds */
  t: number
  bad: number
  total: number
}

/**
 * Error budget remaining at the end of each step, over the SLO period ending there: 1 - (bad / total) / (1 - objective)
 * summed over the last `periodSteps` steps. Built from per-step counts with running sums, so one range query of
 * short-window rates gives a whole budget chart without a 30-day query per point. Points before a full period of data
 * use what there is (null when there were no events at all).
 */
export function rollingBudgetRemaining(steps: StepCounts[], periodSteps: number, objective: number): [number, number | null][] {
  const budget = 1 - objective
  const out: [number, number | null][] = []
  let bad = 0
  let total = 0
  for (let i = 0; i < steps.length; i++) {
    bad += steps[i].bad
    total += steps[i].total
    if (i >= periodSteps) {
      bad -= steps[i - periodSteps].bad
      total -= steps[i - periodSteps].total
    }
    out.push([steps[i].t, total > 0 ? 1 - bad / total / budget : null])
  }
  return out
}

/** Pairs two range results by timestamp (bad and total rates), dropping instants where either is missing. */
export function pairByTime(bad: [number, number][], total: [number, number][]): { t: number; bad: number; total: number }[] {
  const badAt = new Map(bad)
  return total.filter(([t]) => badAt.has(t)).map(([t, v]) => ({ t, bad: badAt.get(t)!, total: v }))
}
