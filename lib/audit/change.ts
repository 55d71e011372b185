/**
 * What an audit entry changed, field by field, for people reading the log: "role: viewer → responder" instead of
 * two JSON blobs. Fields that did not change are left out; for a creation, every field is "added".
 */
export interface FieldChange {
  field: string
  before?: string
  after?: string
}

const HIDDEN_FIELDS = new Set(['id', 'createdAt', 'updatedAt'])

function show(value: unknown): string {
  if (value === null || value === undefined) return '—'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function describeChange(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before)
  const a = asRecord(after)
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !HIDDEN_FIELDS.has(f))
  return fields
    .filter((field) => JSON.stringify(b[field]) !== JSON.stringify(a[field]))
    .map((field) => ({
      field,
      ...(field in b ? { before: show(b[field]) } : {}),
      ...(field in a ? { after: show(a[field]) } : {}),
    }))
}
