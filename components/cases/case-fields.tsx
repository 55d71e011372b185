'use client'
import type { ChangeEvent } from 'react'
import { FAILURE_CLASSES, PATHWAYS } from '@/lib/taxonomy'

/** The server's field issues ("tags.2", "incidentNumbers.0") keyed by the form field they belong to. */
export function issuesByField(issues: { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const field = issue.path.split('.')[0]
    out[field] = out[field] ? `${out[field]}; ${issue.message}` : issue.message
  }
  return out
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <span className="field-error" id={id} role="alert">{message}</span> : null
}

export function describedBy(id: string, message?: string) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {}
}

/** The taxonomy's failure classes, grouped by pathway, each value a class id (the case's category). */
export function CategorySelect(props: { name?: string; defaultValue?: string; value?: string; onChange?: (category: string) => void; invalid?: string; errorId?: string; id?: string }) {
  const { name = 'category', invalid, errorId } = props
  const value = props.onChange ? { value: props.value ?? '', onChange: (e: ChangeEvent<HTMLSelectElement>) => props.onChange!(e.target.value) } : { defaultValue: props.defaultValue ?? '' }
  return (
    <select id={props.id} name={name} required {...value} {...(invalid && errorId ? describedBy(errorId, invalid) : {})}>
      <option value="" disabled>Choose the root-cause class…</option>
      {PATHWAYS.map((pathway) => (
        <optgroup key={pathway} label={pathway}>
          {FAILURE_CLASSES.filter((c) => c.pathway === pathway).map((c) => (
            <option key={c.id} value={c.id}>{c.title}</option>
          ))}
        </optgroup>
      ))}
    </select>
  )
}
