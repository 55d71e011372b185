import { describe, expect, it } from 'vitest'
import type { CompactSpan } from '@/lib/traces/model'
import {
  buildSpanTree,
  collapse,
  descendantCount,
  errorIndexes,
  expand,
  expandAll,
  initialState,
  keyAction,
  reveal,
  rowPosition,
  toggle,
  visibleRows,
  type SpanTree,
  type WaterfallState,
} from './tree'

const id = (n: number) => n.toString(16).padStart(16, '0')

function span(n: number, parent: number | null, startUs: number, extra: Partial<CompactSpan> = {}): CompactSpan {
  return { spanId: id(n), parentSpanId: parent === null ? null : id(parent), name: `s${n}`, service: 'svc', kind: 'internal', startUs, durationUs: 10, status: 'ok', ...extra }
}

const names = (tree: SpanTree, rows: Int32Array) => Array.from(rows, (i) => tree.spans[i].name)

/** A seeded generator, so a failing random case is the same case again. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** A random tree of n spans, shuffled, the shape of a busy pipeline: most spans have few children, a few have many. */
function randomSpans(n: number, seed: number): CompactSpan[] {
  const rnd = random(seed)
  const spans: CompactSpan[] = [span(1, null, 0)]
  for (let k = 2; k <= n; k++) {
    const parent = rnd() < 0.3 ? 1 + Math.floor(rnd() * Math.min(k - 1, 20)) : 1 + Math.floor(rnd() * (k - 1))
    spans.push(span(k, parent, Math.floor(rnd() * 1_000_000), { status: rnd() < 0.01 ? 'error' : 'ok' }))
  }
  for (let k = spans.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1))
    ;[spans[k], spans[j]] = [spans[j], spans[k]]
  }
  return spans
}

/** The same answer the slow, obvious way: recursion over child lists. */
function naivePreorder(spans: CompactSpan[]): string[] {
  const children = new Map<string | null, CompactSpan[]>()
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s])
  const out: string[] = []
  const visit = (s: CompactSpan) => {
    out.push(s.name)
    for (const c of [...(children.get(s.spanId) ?? [])].sort((a, b) => a.startUs - b.startUs || spans.indexOf(a) - spans.indexOf(b))) visit(c)
  }
  for (const r of [...(children.get(null) ?? [])].sort((a, b) => a.startUs - b.startUs)) visit(r)
  return out
}

describe('buildSpanTree', () => {
  it('orders spans depth-first with siblings by start time, whatever order they arrive in', () => {
    const tree = buildSpanTree([span(3, 1, 50), span(4, 2, 30), span(2, 1, 20), span(1, null, 0), span(5, 2, 25)])
    expect(tree.spans.map((s) => s.name)).toEqual(['s1', 's2', 's5', 's4', 's3'])
    expect(Array.from(tree.depth)).toEqual([0, 1, 2, 2, 1])
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 1, 0])
    expect(Array.from(tree.subtreeEnd)).toEqual([5, 4, 3, 4, 5])
    expect(Array.from(tree.childCount)).toEqual([2, 2, 0, 0, 0])
    expect(tree.indexOf(id(4))).toBe(3)
    expect(tree.startUs).toBe(0)
    expect(tree.endUs).toBe(60)
    expect(tree.maxDepth).toBe(2)
  })

  it('agrees with a recursive walk on random trees', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const spans = randomSpans(2_000, seed)
      expect(buildSpanTree(spans).spans.map((s) => s.name)).toEqual(naivePreorder(spans))
    }
  })

  it('shows spans whose parent never arrived at the top level, marked as orphans', () => {
    const tree = buildSpanTree([span(1, null, 0), span(2, 99, 5), span(3, 2, 6)])
    expect(tree.spans.map((s) => s.name)).toEqual(['s1', 's2', 's3'])
    expect(Array.from(tree.parent)).toEqual([-1, -1, 1])
    expect(Array.from(tree.isOrphan)).toEqual([0, 1, 0])
    expect(tree.orphanCount).toBe(1)
  })

  it('survives a parent cycle and a span that is its own parent', () => {
    const tree = buildSpanTree([span(1, null, 0), span(2, 3, 1), span(3, 2, 2), span(4, 4, 3)])
    expect(tree.spans).toHaveLength(4)
    expect(new Set(tree.spans.map((s) => s.name))).toEqual(new Set(['s1', 's2', 's3', 's4']))
    expect(tree.orphanCount).toBe(2)
    for (let i = 0; i < 4; i++) expect(tree.subtreeEnd[i]).toBeGreaterThan(i)
  })

  it('keeps both copies of a duplicated span id', () => {
    const tree = buildSpanTree([span(1, null, 0), span(2, 1, 1), span(2, 1, 2, { name: 'again' })])
    expect(tree.spans.map((s) => s.name)).toEqual(['s1', 's2', 'again'])
    expect(tree.indexOf(id(2))).toBe(1)
    expect(tree.indexOf(id(77))).toBe(-1)
  })

  it('handles an empty trace', () => {
    const tree = buildSpanTree([])
    expect(tree.spans).toEqual([])
    expect(initialState(tree).rows).toHaveLength(0)
  })

  it('walks a 100,000-deep chain without recursion', () => {
    const spans = Array.from({ length: 100_000 }, (_, k) => span(k + 1, k === 0 ? null : k, k))
    const tree = buildSpanTree(spans)
    expect(tree.maxDepth).toBe(99_999)
    expect(tree.subtreeEnd[0]).toBe(100_000)
    expect(descendantCount(tree, 0)).toBe(99_999)
  })

  it('counts the errors inside each subtree', () => {
    const tree = buildSpanTree([span(1, null, 0), span(2, 1, 1, { status: 'error' }), span(3, 2, 2, { status: 'error' }), span(4, 1, 3)])
    expect(Array.from(tree.errorsBelow)).toEqual([2, 1, 0, 0])
    expect(errorIndexes(tree)).toEqual([1, 2])
  })
})

describe('collapsing and expanding', () => {
  // s1 ─┬─ s2 ─┬─ s3
  //     │      └─ s4
  //     └─ s5 ── s6
  const tree = buildSpanTree([span(1, null, 0), span(2, 1, 1), span(3, 2, 2), span(4, 2, 3), span(5, 1, 4), span(6, 5, 5)])
  const open = expandAll(tree)

  it('hides a collapsed subtree and shows it again', () => {
    const closed = collapse(tree, open, 1)
    expect(names(tree, closed.rows)).toEqual(['s1', 's2', 's5', 's6'])
    expect(names(tree, expand(tree, closed, 1).rows)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6'])
    expect(names(tree, toggle(tree, toggle(tree, open, 4), 4).rows)).toEqual(names(tree, open.rows))
  })

  it('keeps a collapsed grandchild collapsed when its ancestor opens again', () => {
    let state = collapse(tree, open, 1)
    state = collapse(tree, state, 0)
    expect(names(tree, state.rows)).toEqual(['s1'])
    state = expand(tree, state, 0)
    expect(names(tree, state.rows)).toEqual(['s1', 's2', 's5', 's6'])
  })

  it('records a collapse under a hidden ancestor without moving the rows', () => {
    const hidden = collapse(tree, open, 0)
    const state = collapse(tree, hidden, 1)
    expect(state.rows).toBe(hidden.rows)
    expect(names(tree, expand(tree, state, 0).rows)).toEqual(['s1', 's2', 's5', 's6'])
  })

  it('ignores collapsing a leaf and expanding an open span', () => {
    expect(collapse(tree, open, 2)).toBe(open)
    expect(expand(tree, open, 0)).toBe(open)
  })

  it('finds a row by binary search', () => {
    const state = collapse(tree, open, 1)
    expect(rowPosition(state.rows, 4)).toBe(2)
    expect(rowPosition(state.rows, 2)).toBe(-1)
  })

  it('splices rows exactly as a full rebuild would, over random toggles', () => {
    for (const seed of [7, 8, 9]) {
      const rnd = random(seed)
      const t = buildSpanTree(randomSpans(3_000, seed))
      let state: WaterfallState = initialState(t, { threshold: 50 })
      for (let step = 0; step < 300; step++) {
        const index = Math.floor(rnd() * t.spans.length)
        state = toggle(t, state, index)
        expect(Array.from(state.rows)).toEqual(Array.from(visibleRows(t, state.collapsed)))
      }
    }
  })
})

describe('the first view', () => {
  // a root with two workers of 300 and 50 spans
  const spans = [span(1, null, 0), span(2, 1, 1), span(3, 1, 2)]
  for (let k = 0; k < 300; k++) spans.push(span(1000 + k, 2, 10 + k))
  for (let k = 0; k < 50; k++) spans.push(span(5000 + k, 3, 10 + k))
  const tree = buildSpanTree(spans)

  it('collapses subtrees of more than 200 descendants, never a root', () => {
    const state = initialState(tree)
    expect(names(tree, state.rows).slice(0, 3)).toEqual(['s1', 's2', 's3'])
    expect(state.rows).toHaveLength(3 + 50)
    expect(state.collapsed[0]).toBe(0)
    expect(state.collapsed[1]).toBe(1)
  })

  it('opens the way to a span it must show', () => {
    const target = tree.indexOf(id(1100))
    const state = initialState(tree, { reveal: [target] })
    expect(rowPosition(state.rows, target)).toBeGreaterThan(0)
    expect(state.rows).toHaveLength(3 + 300 + 50)
  })

  it('reveals spans later without touching what is already open', () => {
    const state = initialState(tree)
    const target = tree.indexOf(id(1005))
    const shown = reveal(tree, state, [target])
    expect(rowPosition(shown.rows, target)).toBeGreaterThan(0)
    expect(reveal(tree, shown, [target])).toBe(shown)
  })
})

describe('keyboard', () => {
  const tree = buildSpanTree([span(1, null, 0), span(2, 1, 1), span(3, 2, 2), span(4, 1, 3)])
  const state = expandAll(tree)

  it('moves up and down and stops at the ends', () => {
    expect(keyAction(tree, state, 0, 'ArrowDown')).toEqual({ kind: 'focus', position: 1 })
    expect(keyAction(tree, state, 0, 'ArrowUp')).toEqual({ kind: 'focus', position: 0 })
    expect(keyAction(tree, state, 3, 'ArrowDown')).toEqual({ kind: 'focus', position: 3 })
    expect(keyAction(tree, state, 1, 'End')).toEqual({ kind: 'focus', position: 3 })
    expect(keyAction(tree, state, 3, 'PageUp', 10)).toEqual({ kind: 'focus', position: 0 })
  })

  it('right expands a collapsed span, then goes to its first child', () => {
    const closed = collapse(tree, state, 1)
    expect(keyAction(tree, closed, 1, 'ArrowRight')).toEqual({ kind: 'expand', index: 1 })
    expect(keyAction(tree, state, 1, 'ArrowRight')).toEqual({ kind: 'focus', position: 2 })
    expect(keyAction(tree, state, 2, 'ArrowRight')).toEqual({ kind: 'none' })
  })

  it('left collapses an open span, then goes to its parent', () => {
    expect(keyAction(tree, state, 1, 'ArrowLeft')).toEqual({ kind: 'collapse', index: 1 })
    expect(keyAction(tree, state, 2, 'ArrowLeft')).toEqual({ kind: 'focus', position: 1 })
    expect(keyAction(tree, collapse(tree, state, 1), 1, 'ArrowLeft')).toEqual({ kind: 'focus', position: 0 })
    expect(keyAction(tree, collapse(tree, state, 0), 0, 'ArrowLeft')).toEqual({ kind: 'none' })
  })
})

describe('100,000 spans', () => {
  // the shape the benchmark uses: a request fanning out to 20 workers of ~5,000 spans, each in steps of 50
  function bigTrace(): CompactSpan[] {
    const spans: CompactSpan[] = [span(1, null, 0)]
    let next = 2
    for (let w = 0; w < 20; w++) {
      const worker = next++
      spans.push(span(worker, 1, w * 1000))
      for (let s = 0; s < 99; s++) {
        const step = next++
        spans.push(span(step, worker, w * 1000 + s * 10))
        for (let l = 0; l < 49 && next <= 100_000; l++) spans.push(span(next++, step, w * 1000 + s * 10 + l, { status: l === 7 && s === 3 ? 'error' : 'ok' }))
      }
    }
    while (next <= 100_000) spans.push(span(next++, 1, 50_000))
    return spans
  }
  const spans = bigTrace()

  function median(run: () => void, times = 5): number {
    run()
    const samples: number[] = []
    for (let k = 0; k < times; k++) {
      const t0 = performance.now()
      run()
      samples.push(performance.now() - t0)
    }
    return samples.sort((a, b) => a - b)[Math.floor(times / 2)]
  }

  it('builds the tree and the first view in well under 100 ms', () => {
    expect(spans).toHaveLength(100_000)
    let tree: SpanTree | undefined
    const ms = median(() => {
      tree = buildSpanTree(spans)
      initialState(tree)
    })
    expect(tree!.spans).toHaveLength(100_000)
    expect(ms).toBeLessThan(100)
  })

  it('expands and collapses a 4,950-span subtree in a few milliseconds', () => {
    const tree = buildSpanTree(spans)
    const open = expandAll(tree)
    const worker = tree.indexOf(id(2))
    expect(descendantCount(tree, worker)).toBe(4_950)
    let closed: WaterfallState = open
    const collapseMs = median(() => {
      closed = collapse(tree, open, worker)
    })
    expect(closed.rows.length).toBe(100_000 - 4_950)
    const expandMs = median(() => {
      expand(tree, closed, worker)
    })
    expect(collapseMs).toBeLessThan(10)
    expect(expandMs).toBeLessThan(10)
  })
})
