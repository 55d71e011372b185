import { diffLines } from 'diff'

export interface DiffPart {
  value: string
  added: boolean
  removed: boolean
}

export function computeDiff(from: string, to: string): DiffPart[] {
  return diffLines(from, to).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed }))
}

/** A line diff: removed lines red with "-", added green with "+", unchanged runs folded to their first lines. */
export function DiffView({ parts, label }: { parts: DiffPart[]; label: string }) {
  const changed = parts.filter((p) => p.added || p.removed).length
  return (
    <div className="diff" aria-label={label} data-testid="diff">
      {changed === 0 ? <p className="muted">No differences.</p> : null}
      {parts.map((part, i) => {
        const lines = part.value.replace(/\n$/, '').split('\n')
        if (!part.added && !part.removed) {
          const shown = lines.length > 6 ? [...lines.slice(0, 2), `… ${lines.length - 4} unchanged lines …`, ...lines.slice(-2)] : lines
          return <pre key={i} className="diff-same">{shown.map((l) => `  ${l}`).join('\n')}</pre>
        }
        return (
          <pre key={i} className={part.added ? 'diff-add' : 'diff-del'}>
            {lines.map((l) => `${part.added ? '+' : '-'} ${l}`).join('\n')}
          </pre>
        )
      })}
    </div>
  )
}
