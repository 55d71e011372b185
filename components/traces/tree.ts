/**
 * The waterfall's tree, as flat typed arrays so a 100,000-span trace is built in tens of milliseconds and never
 * recurses (a 10,000-deep chain must not overflow the stack). See README.md beside this file for the invariants.
 *
 * Spans are put in preorder: depth-first, siblings by start time. In preorder a span's subtree is one contiguous range
 * [i, subtreeEnd[i]), which is what makes collapsing cheap: a collapsed span's descendants are skipped with one jump.
 */
import type { CompactSpan } from '@/lib/traces/model'

export interface SpanTree {
  /** the spans in display order: depth-first, siblings by start time */
  spans: CompactSpan[]
  /** preorder index of the parent, -1 for a root (or a span whose parent never arrived) */
  parent: Int32Array
  depth: Int32Array
  /** end (exclusive) of the span's subtree: its descendants are the indexes i+1 … subtreeEnd[i]-1 */
  subtreeEnd: Int32Array
  childCount: Int32Array
  /** error spans among the descendants (the span itself not counted), for a collapsed row's label */
  errorsBelow: Int32Array
  /** 1 when the span names a parent that is not in the trace (a partial trace), or sits in a parent cycle */
  isOrphan: Uint8Array
  orphanCount: number
  /** preorder index of the span with this id (its first copy when an id repeats), -1 when it is not in the trace */
  indexOf(spanId: string): number
  /** the trace's time axis: earliest start and latest end, unix microseconds */
  startUs: number
  endUs: number
  maxDepth: number
}

/** Builds the tree in O(n log n) (the sort of each span's children by start time), iteratively. */
export function buildSpanTree(input: readonly CompactSpan[]): SpanTree {
  const n = input.length
  // First occurrence of an id wins; a duplicate is still shown, under its own parent.
  const inputIndexById = new SpanIdIndex(input)

  const parentIn = new Int32Array(n)
  const orphanIn = new Uint8Array(n)
  const childCountIn = new Int32Array(n)
  let rootCount = 0
  for (let i = 0; i < n; i++) {
    const parentId = input[i].parentSpanId
    const p = parentId === null ? -1 : inputIndexById.get(parentId)
    if (p === -1 || p === i) {
      parentIn[i] = -1
      if (parentId !== null) orphanIn[i] = 1
      rootCount++
    } else {
      parentIn[i] = p
      childCountIn[p]++
    }
  }

  // Children lists in one array (CSR): the children of p are children[offset[p] … offset[p+1]).
  const offset = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) offset[i + 1] = offset[i] + childCountIn[i]
  const fill = offset.slice(0, n)
  const children = new Int32Array(n - rootCount)
  const roots = new Int32Array(rootCount)
  let r = 0
  for (let i = 0; i < n; i++) {
    if (parentIn[i] === -1) roots[r++] = i
    else children[fill[parentIn[i]]++] = i
  }
  const byStart = (a: number, b: number) => input[a].startUs - input[b].startUs || a - b
  sortIfNeeded(roots, byStart)
  for (let p = 0; p < n; p++) if (offset[p + 1] - offset[p] > 1) sortIfNeeded(children.subarray(offset[p], offset[p + 1]), byStart)

  // Iterative depth-first walk with an explicit stack; children are pushed in reverse so the earliest pops first.
  const order = new Int32Array(n) // preorder position -> input index
  const position = new Int32Array(n).fill(-1) // input index -> preorder position
  const depthIn = new Int32Array(n)
  const stack = new Int32Array(n)
  let count = 0
  const walkFrom = (start: number) => {
    let top = 0
    stack[top++] = start
    while (top > 0) {
      const i = stack[--top]
      position[i] = count
      order[count++] = i
      for (let c = offset[i + 1] - 1; c >= offset[i]; c--) {
        const child = children[c]
        if (position[child] !== -1) continue // only reachable through a parent cycle
        depthIn[child] = depthIn[i] + 1
        stack[top++] = child
      }
    }
  }
  for (const root of roots) walkFrom(root)
  // Spans in a parent cycle (a → b → a) are reachable from no root: show each cycle from its first span, as an orphan.
  if (count < n) {
    for (let i = 0; i < n; i++) {
      if (position[i] !== -1) continue
      parentIn[i] = -1
      orphanIn[i] = 1
      depthIn[i] = 0
      walkFrom(i)
    }
  }

  const spans = new Array<CompactSpan>(n)
  const parent = new Int32Array(n)
  const depth = new Int32Array(n)
  const isOrphan = new Uint8Array(n)
  let startUs = n ? Infinity : 0
  let endUs = n ? -Infinity : 0
  let maxDepth = 0
  let orphanCount = 0
  for (let k = 0; k < n; k++) {
    const i = order[k]
    const span = input[i]
    spans[k] = span
    parent[k] = parentIn[i] === -1 ? -1 : position[parentIn[i]]
    depth[k] = depthIn[i]
    isOrphan[k] = orphanIn[i]
    orphanCount += orphanIn[i]
    if (span.startUs < startUs) startUs = span.startUs
    if (span.startUs + span.durationUs > endUs) endUs = span.startUs + span.durationUs
    if (depthIn[i] > maxDepth) maxDepth = depthIn[i]
  }

  // Sizes and error counts bubble up in reverse preorder: every child comes after its parent.
  const size = new Int32Array(n).fill(1)
  const childCount = new Int32Array(n)
  const errorsBelow = new Int32Array(n)
  for (let k = n - 1; k >= 0; k--) {
    const p = parent[k]
    if (p === -1) continue
    size[p] += size[k]
    childCount[p]++
    errorsBelow[p] += errorsBelow[k] + (spans[k].status === 'error' ? 1 : 0)
  }
  const subtreeEnd = new Int32Array(n)
  for (let k = 0; k < n; k++) subtreeEnd[k] = k + size[k]

  const indexOf = (spanId: string) => {
    const i = inputIndexById.get(spanId)
    return i === -1 ? -1 : position[i]
  }
  return { spans, parent, depth, subtreeEnd, childCount, errorsBelow, isOrphan, orphanCount, indexOf, startUs, endUs, maxDepth }
}

/**
 * Span id -> input index: open addressing over an Int32Array. A Map with 100,000 string keys costs 20-40 ms here, half
 * of the whole build; this costs a few. Ids are compared as strings, so any id format works, hex or not.
 */
class SpanIdIndex {
  private readonly slots: Int32Array
  private readonly mask: number
  constructor(private readonly spans: readonly CompactSpan[]) {
    let size = 16
    while (size < spans.length * 2) size <<= 1
    this.slots = new Int32Array(size).fill(-1)
    this.mask = size - 1
    for (let i = 0; i < spans.length; i++) {
      const id = spans[i].spanId
      for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
        const held = this.slots[slot]
        if (held === -1) {
          this.slots[slot] = i
          break
        }
        if (spans[held].spanId === id) break // a duplicate: the first copy keeps the id
      }
    }
  }

  /** the input index of the first span with this id, or -1 */
  get(id: string): number {
    for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot]
      if (held === -1 || this.spans[held].spanId === id) return held
    }
  }
}

/** FNV-1a over the characters. */
function hashOf(id: string): number {
  let h = 0x811c9dc5
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193)
  return h >>> 0
}

/** Sources usually send siblings in start order already: checking first saves most of the sorting. */
function sortIfNeeded(list: Int32Array, compare: (a: number, b: number) => number) {
  for (let k = 1; k < list.length; k++) {
    if (compare(list[k - 1], list[k]) > 0) {
      list.sort(compare)
      return
    }
  }
}

export function descendantCount(tree: SpanTree, index: number): number {
  return tree.subtreeEnd[index] - index - 1
}

export function hasChildren(tree: SpanTree, index: number): boolean {
  return tree.subtreeEnd[index] > index + 1
}

/** What the waterfall shows: which spans are collapsed, and the visible rows (preorder indexes, ascending). */
export interface WaterfallState {
  /** 1 = collapsed; indexed by preorder index. Replaced, never mutated, so React sees each change. */
  collapsed: Uint8Array
  rows: Int32Array
}

/** Subtrees bigger than this start collapsed, with their size on the row. */
export const COLLAPSE_THRESHOLD = 200

/**
 * The first view: every span with more than `threshold` descendants starts collapsed, except roots (a trace always
 * shows its top) and the ancestors of the spans in `reveal` (the span in a pasted link, the spans a finding names).
 */
export function initialState(tree: SpanTree, options: { threshold?: number; reveal?: number[] } = {}): WaterfallState {
  const threshold = options.threshold ?? COLLAPSE_THRESHOLD
  const n = tree.spans.length
  const collapsed = new Uint8Array(n)
  for (let i = 0; i < n; i++) if (tree.parent[i] !== -1 && tree.subtreeEnd[i] - i - 1 > threshold) collapsed[i] = 1
  for (const index of options.reveal ?? []) openAncestors(tree, collapsed, index)
  return { collapsed, rows: visibleRows(tree, collapsed) }
}

/** The visible rows in O(visible): a collapsed span's whole subtree is skipped with one jump. */
export function visibleRows(tree: SpanTree, collapsed: Uint8Array): Int32Array {
  return rowsBetween(tree, collapsed, 0, tree.spans.length)
}

function rowsBetween(tree: SpanTree, collapsed: Uint8Array, from: number, to: number): Int32Array {
  const out = new Int32Array(to - from)
  let k = 0
  for (let i = from; i < to; ) {
    out[k++] = i
    i = collapsed[i] ? tree.subtreeEnd[i] : i + 1
  }
  return out.slice(0, k)
}

/** Position of a span in the visible rows, or -1 when it is hidden: binary search, the rows are ascending. */
export function rowPosition(rows: Int32Array, index: number): number {
  let lo = 0
  let hi = rows.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (rows[mid] === index) return mid
    if (rows[mid] < index) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** First row position whose span index is >= index. */
function lowerBound(rows: Int32Array, index: number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (rows[mid] < index) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Collapses a span: its visible descendants are one run of rows right after it (found by binary search) and are cut
 * out. O(log n) to find them plus one copy of the row array; nothing is rebuilt.
 */
export function collapse(tree: SpanTree, state: WaterfallState, index: number): WaterfallState {
  if (state.collapsed[index] || !hasChildren(tree, index)) return state
  const collapsed = state.collapsed.slice()
  collapsed[index] = 1
  const at = rowPosition(state.rows, index)
  if (at === -1) return { collapsed, rows: state.rows } // hidden under a collapsed ancestor: nothing on screen moves
  const end = lowerBound(state.rows, tree.subtreeEnd[index])
  const rows = new Int32Array(state.rows.length - (end - at - 1))
  rows.set(state.rows.subarray(0, at + 1), 0)
  rows.set(state.rows.subarray(end), at + 1)
  return { collapsed, rows }
}

/**
 * Expands a span: the rows of its subtree (O(what becomes visible), skipping collapsed grandchildren) are spliced in
 * after it.
 */
export function expand(tree: SpanTree, state: WaterfallState, index: number): WaterfallState {
  if (!state.collapsed[index]) return state
  const collapsed = state.collapsed.slice()
  collapsed[index] = 0
  const at = rowPosition(state.rows, index)
  if (at === -1) return { collapsed, rows: state.rows }
  const inserted = rowsBetween(tree, collapsed, index + 1, tree.subtreeEnd[index])
  const rows = new Int32Array(state.rows.length + inserted.length)
  rows.set(state.rows.subarray(0, at + 1), 0)
  rows.set(inserted, at + 1)
  rows.set(state.rows.subarray(at + 1), at + 1 + inserted.length)
  return { collapsed, rows }
}

export function toggle(tree: SpanTree, state: WaterfallState, index: number): WaterfallState {
  return state.collapsed[index] ? expand(tree, state, index) : collapse(tree, state, index)
}

function openAncestors(tree: SpanTree, collapsed: Uint8Array, index: number): boolean {
  let changed = false
  for (let a = tree.parent[index]; a !== -1; a = tree.parent[a]) {
    if (collapsed[a]) {
      collapsed[a] = 0
      changed = true
    }
  }
  return changed
}

/** Opens every collapsed ancestor of the given spans so they show (a finding's span, a linked span, every error). */
export function reveal(tree: SpanTree, state: WaterfallState, indexes: number[]): WaterfallState {
  const collapsed = state.collapsed.slice()
  let changed = false
  for (const index of indexes) if (index >= 0 && index < tree.spans.length && openAncestors(tree, collapsed, index)) changed = true
  return changed ? { collapsed, rows: visibleRows(tree, collapsed) } : state
}

export function expandAll(tree: SpanTree): WaterfallState {
  const n = tree.spans.length
  const rows = new Int32Array(n)
  for (let i = 0; i < n; i++) rows[i] = i
  return { collapsed: new Uint8Array(n), rows }
}

/** Preorder indexes of the error spans, in order. */
export function errorIndexes(tree: SpanTree): number[] {
  const out: number[] = []
  for (let i = 0; i < tree.spans.length; i++) if (tree.spans[i].status === 'error') out.push(i)
  return out
}

/** Where the keyboard goes from a row (the WAI-ARIA tree pattern): the row position to focus, or a toggle to do. */
export type TreeKeyAction = { kind: 'focus'; position: number } | { kind: 'expand' | 'collapse'; index: number } | { kind: 'none' }

export function keyAction(tree: SpanTree, state: WaterfallState, position: number, key: string, pageSize = 20): TreeKeyAction {
  const last = state.rows.length - 1
  if (last < 0) return { kind: 'none' }
  const clamp = (p: number): TreeKeyAction => ({ kind: 'focus', position: Math.max(0, Math.min(last, p)) })
  const index = state.rows[position]
  switch (key) {
    case 'ArrowDown':
      return clamp(position + 1)
    case 'ArrowUp':
      return clamp(position - 1)
    case 'Home':
      return clamp(0)
    case 'End':
      return clamp(last)
    case 'PageDown':
      return clamp(position + pageSize)
    case 'PageUp':
      return clamp(position - pageSize)
    case 'ArrowRight':
      if (!hasChildren(tree, index)) return { kind: 'none' }
      return state.collapsed[index] ? { kind: 'expand', index } : clamp(position + 1)
    case 'ArrowLeft': {
      if (hasChildren(tree, index) && !state.collapsed[index]) return { kind: 'collapse', index }
      const parent = tree.parent[index]
      return parent === -1 ? { kind: 'none' } : clamp(rowPosition(state.rows, parent))
    }
    default:
      return { kind: 'none' }
  }
}
