/**
 * Aggregation operators (sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile) with by/without,
 * after Prometheus 2.42's aggregation(): groups keep the order they are first seen in, topk/bottomk use the same
 * heap as Go's container/heap so the same series win a tie.
 */
import { METRIC_NAME, deriveLabels, labelsKey, type Labels } from './labels'
import { incrementalMean, maximum, minimum, quantile, variance } from './stats'
import type { AggregateOp } from './ast'
import type { Sample } from './values'

interface Group {
  labels: Labels
  samples: Sample[]
}

function groupLabels(labels: Labels, grouping: readonly string[], without: boolean, how: string): Labels {
  return deriveLabels(labels, how, () => {
    const out: Record<string, string> = {}
    for (const [name, value] of Object.entries(labels)) {
      const listed = grouping.includes(name)
      if (without ? !listed && name !== METRIC_NAME : listed) out[name] = value
    }
    return out
  })
}

function groupSamples(input: Sample[], grouping: readonly string[], without: boolean): Group[] {
  const groups = new Map<string, Group>()
  const how = `${without ? 'without' : 'by'}(${grouping.join(',')})`
  for (const sample of input) {
    const labels = groupLabels(sample.labels, grouping, without, how)
    const key = labelsKey(labels)
    const group = groups.get(key)
    if (group) group.samples.push(sample)
    else groups.set(key, { labels, samples: [sample] })
  }
  return [...groups.values()]
}

function reduceGroup(op: AggregateOp, values: number[], param: number | undefined): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b)
    case 'avg':
      return incrementalMean(values)
    case 'count':
      return values.length
    case 'group':
      return 1
    case 'min':
      return minimum(values)
    case 'max':
      return maximum(values)
    case 'stdvar':
      return variance(values)
    case 'stddev':
      return Math.sqrt(variance(values))
    case 'quantile':
      return quantile(param!, values)
    default:
      throw new Error(`not a reducing aggregation: ${op}`)
  }
}

type Less = (a: Sample, b: Sample) => boolean

/** Go's container/heap on an array, with the element ordering given by less. */
class GoHeap {
  readonly items: Sample[] = []
  constructor(private readonly less: Less) {}

  push(item: Sample) {
    this.items.push(item)
    this.up(this.items.length - 1)
  }

  /** replace the top (smallest) element and restore the heap */
  replaceTop(item: Sample) {
    this.items[0] = item
    if (!this.down(0)) this.up(0)
  }

  private swap(i: number, j: number) {
    ;[this.items[i], this.items[j]] = [this.items[j], this.items[i]]
  }

  private up(j: number) {
    while (j > 0) {
      const i = Math.floor((j - 1) / 2)
      if (!this.less(this.items[j], this.items[i])) break
      this.swap(i, j)
      j = i
    }
  }

  private down(i0: number): boolean {
    const n = this.items.length
    let i = i0
    for (;;) {
      const j1 = 2 * i + 1
      if (j1 >= n) break
      let j = j1
      if (j1 + 1 < n && this.less(this.items[j1 + 1], this.items[j1])) j = j1 + 1
      if (!this.less(this.items[j], this.items[i])) break
      this.swap(i, j)
      i = j
    }
    return i > i0
  }
}

const smallerFirst: Less = (a, b) => Number.isNaN(a.value) || a.value < b.value
const largerFirst: Less = (a, b) => Number.isNaN(a.value) || a.value > b.value

/** The k largest (topk) or smallest (bottomk) samples of a group, keeping their labels, best first. */
function selectK(samples: Sample[], k: number, top: boolean): Sample[] {
  const less = top ? smallerFirst : largerFirst
  const heap = new GoHeap(less)
  for (const s of samples) {
    if (heap.items.length < k) heap.push(s)
    else {
      const head = heap.items[0]
      const better = top ? head.value < s.value : head.value > s.value
      if (better || (Number.isNaN(head.value) && !Number.isNaN(s.value))) heap.replaceTop(s)
    }
  }
  return [...heap.items].sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0))
}

export function aggregate(op: AggregateOp, param: number | undefined, input: Sample[], grouping: readonly string[], without: boolean, timeMs: number): Sample[] {
  const groups = groupSamples(input, grouping, without)
  if (op === 'topk' || op === 'bottomk') {
    const k = Math.trunc(param!)
    if (!(k >= 1)) return []
    return groups.flatMap((g) => selectK(g.samples, k, op === 'topk').map((s) => ({ labels: s.labels, value: s.value, timestampMs: timeMs })))
  }
  return groups.map((g) => ({ labels: g.labels, value: reduceGroup(op, g.samples.map((s) => s.value), param), timestampMs: timeMs }))
}
