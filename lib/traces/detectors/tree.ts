/**
 * One trace as the detectors walk it, built once per trace: parents, children, a depth-first order, and the model call
 * of each span. Every question costs O(1) or one pass, so a 100,000-span trace (or one deep chain) stays fast.
 */
import type { ModelCall, Trace, TraceSpan } from '../model'
import type { TraceConfig } from '../config'
import { modelCallOf } from '../genai'

export interface TraceAnalysis {
  spans: TraceSpan[]
  /** top-level spans: no parent, or a parent the trace does not hold (a partial trace) */
  roots: TraceSpan[]
  parentOf(span: TraceSpan): TraceSpan | undefined
  /** nearest first */
  ancestorsOf(span: TraceSpan): TraceSpan[]
  /** spans with the same parent (the other roots for a root), itself included */
  siblingsOf(span: TraceSpan): TraceSpan[]
  isDescendantOf(span: TraceSpan, ancestor: TraceSpan): boolean
  /** in one pass: for each span, whether some ancestor satisfies the test */
  belowAny(test: (span: TraceSpan) => boolean): (span: TraceSpan) => boolean
  callOf(span: TraceSpan): ModelCall | null
  /** a result computed once per trace and shared between detectors */
  memo<T>(key: string, compute: () => T): T
}

export function analyze(trace: Trace, config: TraceConfig): TraceAnalysis {
  const spans = trace.spans
  const n = spans.length
  const indexOf = new Map<TraceSpan, number>(spans.map((s, i) => [s, i]))
  const byId = new Map<string, number>()
  spans.forEach((s, i) => byId.set(s.spanId, i))
  const parent = new Int32Array(n).fill(-1)
  const children: number[][] = Array.from({ length: n }, () => [])
  const roots: TraceSpan[] = []
  spans.forEach((span, i) => {
    const p = span.parentSpanId ? byId.get(span.parentSpanId) : undefined
    if (p === undefined || p === i) roots.push(span)
    else {
      parent[i] = p
      children[p].push(i)
    }
  })

  // depth-first entry and exit numbers: a span is below another when its interval lies inside the other's; a span in
  // a parent cycle is reachable from no root and becomes the top of what is left
  const enter = new Int32Array(n).fill(-1)
  const exit = new Int32Array(n)
  const preorder: number[] = []
  let clock = 0
  const stack: number[] = []
  const walk = (start: number) => {
    stack.push(start)
    while (stack.length) {
      const item = stack.pop()!
      if (item < 0) {
        exit[~item] = clock++
        continue
      }
      if (enter[item] >= 0) continue
      enter[item] = clock++
      preorder.push(item)
      stack.push(~item)
      for (const child of children[item]) if (enter[child] < 0) stack.push(child)
    }
  }
  roots.forEach((r) => walk(indexOf.get(r)!))
  for (let i = 0; i < n; i++) if (enter[i] < 0) walk(i)
  const treeParent = (i: number) => (parent[i] >= 0 && enter[parent[i]] < enter[i] ? parent[i] : -1)

  const calls: (ModelCall | null | undefined)[] = new Array(n)
  const memos = new Map<string, unknown>()
  return {
    spans,
    roots,
    parentOf: (span) => {
      const p = parent[indexOf.get(span)!]
      return p >= 0 ? spans[p] : undefined
    },
    ancestorsOf: (span) => {
      const chain: TraceSpan[] = []
      for (let p = treeParent(indexOf.get(span)!); p >= 0; p = treeParent(p)) chain.push(spans[p])
      return chain
    },
    siblingsOf: (span) => {
      const p = parent[indexOf.get(span)!]
      return p >= 0 ? children[p].map((i) => spans[i]) : roots
    },
    isDescendantOf: (span, ancestor) => {
      const s = indexOf.get(span)!
      const a = indexOf.get(ancestor)!
      return s !== a && enter[a] < enter[s] && exit[s] < exit[a]
    },
    belowAny: (test) => {
      const below = new Uint8Array(n)
      for (const i of preorder) {
        const p = treeParent(i)
        if (p >= 0 && (below[p] || test(spans[p]))) below[i] = 1
      }
      return (span) => below[indexOf.get(span)!] === 1
    },
    callOf: (span) => {
      const i = indexOf.get(span)!
      let call = calls[i]
      if (call === undefined) call = calls[i] = modelCallOf(span, config)
      return call
    },
    memo: <T>(key: string, compute: () => T): T => {
      if (!memos.has(key)) memos.set(key, compute())
      return memos.get(key) as T
    },
  }
}

/** A later sibling of the same name that did not fail: the caller retried, and the retry's output is what went on. */
export function retried(tree: TraceAnalysis, span: TraceSpan, failed: (s: TraceSpan) => boolean): boolean {
  const end = endUs(span)
  return tree.siblingsOf(span).some((s) => s !== span && s.name === span.name && s.startUs >= end && !failed(s))
}

/** The request succeeded as far as the trace can tell: no top-level span reports an error. */
export function traceSucceeded(tree: TraceAnalysis): boolean {
  return tree.roots.length > 0 && tree.roots.every((r) => r.status.code !== 'error')
}

export function endUs(span: TraceSpan): number {
  return span.startUs + span.durationUs
}

/** `generator span "chat llama-3.1-70b"`, or `k8s-api span "GET /api/v1/pods"` for a span that is no model call */
export function describeSpan(span: TraceSpan, call?: ModelCall | null): string {
  return `${call?.stage ?? (call ? 'model call' : span.service)} span "${span.name}"`
}

/** 30000000 µs -> "30 s", 1250000 -> "1.25 s", 850000 -> "850 ms" */
export function formatDuration(us: number): string {
  if (us >= 1_000_000) return `${Number((us / 1_000_000).toFixed(2))} s`
  return `${Number((us / 1000).toFixed(1))} ms`
}

/** Case-insensitive substring match of any pattern. */
export function matchesAny(text: string | undefined, patterns: string[]): boolean {
  if (!text) return false
  const lower = text.toLowerCase()
  return patterns.some((p) => lower.includes(p.toLowerCase()))
}

export function findingId(detector: string, spanId: string): string {
  return `${detector}:${spanId}`
}

/** The texts that say what went wrong in a span: its error status message, error.type, exception events. */
export function errorText(span: TraceSpan): string[] {
  const texts: string[] = []
  if (span.status.code === 'error' && span.status.message) texts.push(span.status.message)
  if (typeof span.attributes['error.type'] === 'string') texts.push(span.attributes['error.type'])
  for (const event of span.events) {
    if (event.name !== 'exception') continue
    const text = [event.attributes['exception.type'], event.attributes['exception.message']].filter((v) => typeof v === 'string' && v).join(': ')
    if (text) texts.push(text)
  }
  return texts
}
