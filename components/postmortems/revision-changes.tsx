import { DiffView } from '@/components/runbooks/diff-view'
import type { PartChange } from '@/lib/postmortems/revisions'
import './revisions.css'

const KIND_LABELS: Record<PartChange['kind'], string> = { added: 'written', removed: 'emptied', changed: 'changed' }

/**
 * The parts of a postmortem that differ between two versions, each as a line diff (removed lines "-", added "+";
 * the runbook history's DiffView). Parts that did not change are not shown; the list at the top jumps to each one.
 */
export function RevisionChanges({ changes, label }: { changes: PartChange[]; label: string }) {
  if (changes.length === 0) return <p className="muted" data-testid="revision-no-changes">No differences in the text.</p>
  return (
    <div className="pm-rev-changes" data-testid="revision-changes">
      <nav aria-label="Changed parts">
        <ul className="pm-rev-toc">
          {changes.map((c) => (
            <li key={c.key}>
              <a href={`#change-${c.key}`}>{c.title}</a> <LineCounts change={c} />
            </li>
          ))}
        </ul>
      </nav>
      {changes.map((c) => (
        <section key={c.key} id={`change-${c.key}`} className="pm-rev-change" aria-labelledby={`change-${c.key}-heading`} data-testid={`change-${c.key}`}>
          <h3 id={`change-${c.key}-heading`}>
            {c.title} <span className={`pm-rev-kind pm-rev-kind-${c.kind}`}>{KIND_LABELS[c.kind]}</span>
          </h3>
          <DiffView parts={c.parts} label={`${label}: ${c.title}`} />
        </section>
      ))}
    </div>
  )
}

function LineCounts({ change }: { change: PartChange }) {
  return (
    <span className="small pm-rev-counts">
      <span className="pm-rev-added">+{change.addedLines}<span className="pm-rev-sr-only"> lines added,</span></span>{' '}
      <span className="pm-rev-removed">−{change.removedLines}<span className="pm-rev-sr-only"> lines removed</span></span>
    </span>
  )
}
