'use client'
import { useCallback, useMemo, useState } from 'react'
import { errorIndexes, initialState, reveal, toggle, type SpanTree, type WaterfallState } from './tree'
import { visibleAncestor } from './waterfall'

/**
 * The waterfall's state, shared by the trace page and the case page: which rows are shown, which span is active and
 * which is open, and `goTo`, which reveals a span wherever it is, scrolls to it and opens it.
 */
export function useWaterfall(tree: SpanTree, options: { linked: number; reveal: number[] }) {
  const { linked } = options
  const [state, setState] = useState<WaterfallState>(() => initialState(tree, { reveal: options.reveal }))
  const [openIndex, setOpenIndex] = useState(linked)
  const [activeIndex, setActiveIndex] = useState(linked === -1 ? 0 : linked)
  const [scrollRequest, setScrollRequest] = useState(linked === -1 ? 0 : 1)
  const errors = useMemo(() => errorIndexes(tree), [tree])
  const onToggle = useCallback((index: number) => setState((s) => toggle(tree, s, index)), [tree])
  const onOpen = useCallback((index: number) => setOpenIndex(index), [])
  const onClose = useCallback(() => setOpenIndex(-1), [])
  const goTo = useCallback(
    (index: number) => {
      if (index === -1) return
      setState((s) => reveal(tree, s, [index]))
      setActiveIndex(index)
      setOpenIndex(index)
      setScrollRequest((n) => n + 1)
    },
    [tree],
  )
  return {
    state,
    setState,
    openIndex,
    activeIndex,
    setActiveIndex,
    shownActive: visibleAncestor(tree, state.rows, activeIndex),
    scrollRequest,
    errors,
    allShown: state.rows.length === tree.spans.length,
    onToggle,
    onOpen,
    onClose,
    goTo,
  }
}
