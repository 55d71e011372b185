'use client'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react'
import { axisTicks, barGeometry, formatCount, formatDurationUs, serviceColor } from './format'
import { descendantCount, hasChildren, keyAction, rowPosition, type SpanTree, type WaterfallState } from './tree'

export const ROW_HEIGHT = 24
const HEADER_HEIGHT = 26
/** Indentation stops growing here; a deeper span says its depth in its tooltip. */
const MAX_INDENT_DEPTH = 24

export const rowDomId = (index: number) => `wf-row-${index}`

/** The visible row for a span: itself, or its nearest shown ancestor when a collapse hid it. */
export function visibleAncestor(tree: SpanTree, rows: Int32Array, index: number): number {
  for (let i = index; i !== -1; i = tree.parent[i]) if (rowPosition(rows, i) !== -1) return i
  return rows.length ? rows[0] : -1
}

interface RowProps {
  tree: SpanTree
  index: number
  isCollapsed: boolean
  isActive: boolean
  isOpen: boolean
  start: number
  onToggle: (index: number) => void
  onSelect: (index: number) => void
}

const Row = memo(function Row({ tree, index, isCollapsed, isActive, isOpen, start, onToggle, onSelect }: RowProps) {
  const span = tree.spans[index]
  const depth = tree.depth[index]
  const canToggle = hasChildren(tree, index)
  const isError = span.status === 'error'
  const { left, width } = barGeometry(span.startUs, span.durationUs, tree.startUs, tree.endUs - tree.startUs)
  const color = serviceColor(span.service)
  const hidden = isCollapsed ? descendantCount(tree, index) : 0
  const hiddenErrors = isCollapsed ? tree.errorsBelow[index] : 0
  // the duration goes after the bar, or before it when the bar reaches the right edge, or over the bar's start when
  // the bar fills the axis (a root span), so it never spills into the label column
  const durationPlace = left + width <= 80 ? { left: `${left + width}%` } : left >= 15 ? { right: `${100 - left}%` } : { left: `${left}%` }
  const durationOver = left + width > 80 && left < 15
  return (
    <div
      id={rowDomId(index)}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={canToggle ? !isCollapsed : undefined}
      aria-selected={isOpen}
      aria-label={`${span.service} ${span.name}, ${formatDurationUs(span.durationUs)}${isError ? ', error' : ''}${hidden ? `, ${hidden} spans hidden` : ''}`}
      className={`wf-row${isActive ? ' active' : ''}${isOpen ? ' open' : ''}${isError ? ' error' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      data-testid="waterfall-row"
      data-span-id={span.spanId}
      onClick={() => onSelect(index)}
    >
      <div className="wf-label" style={{ paddingLeft: `${Math.min(depth, MAX_INDENT_DEPTH) * 14 + 4}px` }} title={depth > MAX_INDENT_DEPTH ? `depth ${depth}` : undefined}>
        {canToggle ? (
          <span
            className="wf-toggle"
            aria-hidden="true"
            data-testid="waterfall-toggle"
            onClick={(e) => {
              e.stopPropagation()
              onToggle(index)
            }}
          >
            {isCollapsed ? '▸' : '▾'}
          </span>
        ) : (
          <span className="wf-toggle leaf" aria-hidden="true" />
        )}
        <span className="wf-swatch" style={{ background: color }} aria-hidden="true" />
        <span className="wf-service">{span.service}</span>
        <span className="wf-name">{span.name}</span>
        {isError ? <span className="wf-error" title="This span ended in an error">error</span> : null}
        {hidden ? (
          <span
            className={`wf-hidden${hiddenErrors ? ' has-errors' : ''}`}
            data-testid="waterfall-hidden-count"
            title={`${formatCount(hidden)} spans hidden${hiddenErrors ? `, ${formatCount(hiddenErrors)} of them errors` : ''}: → or the triangle opens them`}
          >
            +{formatCount(hidden)}{hiddenErrors ? ` · ${formatCount(hiddenErrors)} error${hiddenErrors === 1 ? '' : 's'}` : ''}
          </span>
        ) : null}
        {tree.isOrphan[index] ? <span className="wf-orphan" title="Its parent span is not in this trace">parent missing</span> : null}
        {span.stage ? <span className="wf-badge stage">{span.stage}</span> : null}
        {span.model ? <span className="wf-badge model">{span.model}</span> : null}
      </div>
      <div className="wf-timeline" aria-hidden="true">
        <span className="wf-bar" style={{ left: `${left}%`, width: `${width}%`, background: isError ? undefined : color }} />
        <span className={`wf-duration${durationOver ? ' over' : ''}`} style={durationPlace}>
          {formatDurationUs(span.durationUs)}
        </span>
      </div>
    </div>
  )
})

export interface WaterfallProps {
  tree: SpanTree
  state: WaterfallState
  /** preorder index of the row the keyboard is on */
  activeIndex: number
  /** preorder index of the span whose detail is open, or -1 */
  openIndex: number
  /** bumped to scroll the active row into view (after a finding's link, a pasted ?span=) */
  scrollRequest: number
  onToggle: (index: number) => void
  onActivate: (index: number) => void
  onOpen: (index: number) => void
  onClose: () => void
}

/**
 * The virtualised waterfall: only the rows in view (and a few around them) are in the DOM, whatever the trace's size.
 * A WAI-ARIA tree: the scroll box holds the focus and points at the active row with aria-activedescendant; arrows
 * move and open and close, Enter opens the span's detail, Escape closes it.
 */
export function Waterfall({ tree, state, activeIndex, openIndex, scrollRequest, onToggle, onActivate, onOpen, onClose }: WaterfallProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rows = state.rows
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (position) => rows[position],
    overscan: 12,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  })
  const activePosition = Math.max(0, rowPosition(rows, activeIndex))
  const select = useCallback(
    (index: number) => {
      onActivate(index)
      onOpen(index)
      scrollRef.current?.focus({ preventScroll: true })
    },
    [onActivate, onOpen],
  )

  const lastScroll = useRef(scrollRequest)
  useEffect(() => {
    if (lastScroll.current === scrollRequest) return
    lastScroll.current = scrollRequest
    if (rows.length) virtualizer.scrollToIndex(activePosition, { align: 'center' })
  }, [scrollRequest, activePosition, rows.length, virtualizer])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      if (rows.length) onOpen(rows[activePosition])
      return
    }
    if (event.key === 'Escape') {
      if (openIndex !== -1) {
        event.preventDefault()
        onClose()
      }
      return
    }
    const pageSize = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2)
    const action = keyAction(tree, state, activePosition, event.key, pageSize)
    if (action.kind === 'none') return
    event.preventDefault()
    if (action.kind === 'focus') {
      onActivate(rows[action.position])
      virtualizer.scrollToIndex(action.position, { align: 'auto' })
    } else onToggle(action.index)
  }

  const duration = tree.endUs - tree.startUs
  const ticks = axisTicks(duration)
  const height = Math.min(rows.length * ROW_HEIGHT + HEADER_HEIGHT + 2, 2_000)
  return (
    <div
      ref={scrollRef}
      className="wf-scroll"
      style={{ height }}
      role="tree"
      aria-label={`Spans of the trace, ${formatCount(rows.length)} of ${formatCount(tree.spans.length)} shown`}
      aria-activedescendant={rows.length ? rowDomId(rows[activePosition]) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="waterfall"
    >
      <div className="wf-inner" style={{ height: virtualizer.getTotalSize() }}>
        <div className="wf-head" style={{ height: HEADER_HEIGHT }} aria-hidden="true">
          <div className="wf-label">Service · span</div>
          <div className="wf-timeline wf-axis">
            {ticks.map((t) => (
              <span key={t} className="wf-tick" style={{ left: `${duration ? (t / duration) * 100 : 0}%` }}>
                {t === 0 ? '0' : formatDurationUs(t)}
              </span>
            ))}
          </div>
        </div>
        {virtualizer.getVirtualItems().map((item) => {
          const index = rows[item.index]
          return (
            <Row
              key={item.key}
              tree={tree}
              index={index}
              isCollapsed={state.collapsed[index] === 1}
              isActive={item.index === activePosition}
              isOpen={index === openIndex}
              start={item.start}
              onToggle={onToggle}
              onSelect={select}
            />
          )
        })}
      </div>
    </div>
  )
}
