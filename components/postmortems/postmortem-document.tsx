import { utc } from '@/lib/postmortems/markdown'
import { sortTimeline } from '@/lib/postmortems/prefill'
import type { PostmortemContent } from '@/lib/postmortems/schemas'
import { CAUSE_AREA_LABELS, SECTIONS } from '@/lib/postmortems/template'
import { PostmortemMarkdown } from './postmortem-markdown'
import './postmortems.css'

/** The written postmortem, read-only: the print view, readers, and the editor's preview. */
export function PostmortemDocument({ content, headingLevel = 2 }: { content: PostmortemContent; headingLevel?: 2 | 3 }) {
  const H = `h${headingLevel}` as 'h2' | 'h3'
  const timeline = sortTimeline(content.timeline)
  const pinned = timeline.filter((e) => e.pinned)
  return (
    <div className="pm-doc" data-testid="postmortem-document">
      <section aria-label="Summary">
        <H>Summary</H>
        <PostmortemMarkdown text={content.summary} />
      </section>
      <section aria-label="Timeline">
        <H>Timeline</H>
        {pinned.length ? (
          <>
            <p className="muted small" style={{ margin: '0 0 0.25rem' }}>Key events</p>
            <ul className="pm-doc-timeline">
              {pinned.map((e) => (
                <li key={e.id} className="pinned"><time dateTime={e.at}>{utc(e.at)}</time>{e.text}</li>
              ))}
            </ul>
          </>
        ) : null}
        <details open={pinned.length === 0}>
          <summary className="small">All events ({timeline.length})</summary>
          <ul className="pm-doc-timeline">
            {timeline.map((e) => (
              <li key={e.id} className={e.pinned ? 'pinned' : undefined}><time dateTime={e.at}>{utc(e.at)}</time><span className="muted small">{e.kind}</span> {e.text}</li>
            ))}
          </ul>
        </details>
      </section>
      {SECTIONS.map((section) => (
        <section key={section.key} aria-label={section.title} data-testid={`doc-section-${section.key}`}>
          <H>{section.title}</H>
          {section.key === 'root-cause' ? (
            <p><strong>Where:</strong> {content.causeAreas.length ? content.causeAreas.map((a) => CAUSE_AREA_LABELS[a]).join(', ') : <span className="pm-not-written">not named yet</span>}</p>
          ) : null}
          <PostmortemMarkdown text={content.sections[section.key]} />
          {section.key === 'root-cause' ? (
            <>
              <p><strong>Contributing factors</strong></p>
              {content.factors.length === 0 ? <p className="pm-not-written">None listed.</p> : null}
              <ul>
                {content.factors.map((f, i) => (
                  <li key={i}><strong>{CAUSE_AREA_LABELS[f.area]}:</strong> {f.text}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ))}
    </div>
  )
}
