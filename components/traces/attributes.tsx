'use client'
import { useState } from 'react'
import type { AttributeValue, Attributes } from '@/lib/traces/model'

/** A value as text: strings as they are, everything else as JSON. Telemetry is untrusted: it is only ever text here. */
export function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') return value
  return JSON.stringify(value, null, typeof value === 'object' && value !== null ? 2 : undefined) ?? 'null'
}

function Value({ value }: { value: AttributeValue }) {
  const text = attributeText(value)
  const isBlock = (typeof value === 'object' && value !== null) || text.length > 120 || text.includes('\n')
  return isBlock ? <pre className="trace-pre small">{text}</pre> : <span className={typeof value === 'string' ? undefined : 'mono'}>{text}</span>
}

/** Every attribute of a span (or its resource), sorted by key, with a filter when there are many. */
export function AttributeTable({ attributes, label }: { attributes: Attributes; label: string }) {
  const [filter, setFilter] = useState('')
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))
  if (entries.length === 0) return <p className="muted small">No {label.toLowerCase()}.</p>
  const needle = filter.trim().toLowerCase()
  const shown = needle ? entries.filter(([k, v]) => k.toLowerCase().includes(needle) || attributeText(v).toLowerCase().includes(needle)) : entries
  return (
    <>
      {entries.length > 12 ? (
        <label className="trace-filter">
          <span className="trace-sr-only">Filter {label.toLowerCase()}</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={`Filter ${entries.length} ${label.toLowerCase()}`} />
        </label>
      ) : null}
      <table className="compact trace-attributes-table" aria-label={label}>
        <tbody>
          {shown.map(([key, value]) => (
            <tr key={key}>
              <th scope="row" className="mono">{key}</th>
              <td><Value value={value} /></td>
            </tr>
          ))}
          {shown.length === 0 ? <tr><td colSpan={2} className="muted">Nothing matches “{filter}”.</td></tr> : null}
        </tbody>
      </table>
    </>
  )
}

/** Attributes in one line of chips, for events. */
export function AttributeChips({ attributes }: { attributes: Attributes }) {
  const entries = Object.entries(attributes)
  if (entries.length === 0) return null
  return (
    <div>
      {entries.map(([k, v]) => {
        const text = attributeText(v)
        return text.length > 120 || text.includes('\n') ? (
          <div key={k}>
            <span className="mono small">{k}</span>
            <pre className="trace-pre small">{text}</pre>
          </div>
        ) : (
          <span key={k} className="chip mono">{k}={text}</span>
        )
      })}
    </div>
  )
}
