'use client'
import type { SpanTree } from './tree'
import type { useWaterfall } from './use-waterfall'
import { SpanDetail } from './span-detail'
import { Waterfall } from './waterfall'

/** The waterfall and, beside it, the open span: the body of the trace page and of the case page. */
export function WaterfallWithDetail({ traceId, tree, waterfall, detailsFrom }: { traceId: string; tree: SpanTree; waterfall: ReturnType<typeof useWaterfall>; detailsFrom?: { caseNumber: number } }) {
  const { state, openIndex, shownActive, scrollRequest, onToggle, setActiveIndex, onOpen, onClose } = waterfall
  return (
    <div className={`trace-body${openIndex !== -1 ? ' with-detail' : ''}`}>
      <Waterfall
        tree={tree}
        state={state}
        activeIndex={shownActive}
        openIndex={openIndex}
        scrollRequest={scrollRequest}
        onToggle={onToggle}
        onActivate={setActiveIndex}
        onOpen={onOpen}
        onClose={onClose}
      />
      {openIndex !== -1 ? <SpanDetail key={openIndex} traceId={traceId} tree={tree} index={openIndex} onClose={onClose} detailsFrom={detailsFrom} /> : null}
    </div>
  )
}
