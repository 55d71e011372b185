/**
 * Findings as a responder reads them: one line per kind of problem, not one per span. A 100,000-span batch can hold
 * the same max_tokens stop forty times; that is one finding seen forty times, with its spans to step through.
 */
import type { Finding } from '@/lib/traces/model'

export interface FindingGroup {
  key: string
  severity: Finding['severity']
  failureClass: string
  detector: string
  /** the first finding's sentence; the others differ only in their values */
  summary: string
  count: number
  /** every span the group's findings name, in the order found, without repeats */
  spanIds: string[]
}

const SEVERITY_ORDER: Record<Finding['severity'], number> = { critical: 0, warning: 1 }

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup & { seen: Set<string> }>()
  for (const f of findings) {
    const key = `${f.severity}|${f.detector}|${f.failureClass}`
    let group = groups.get(key)
    if (!group) {
      group = { key, severity: f.severity, failureClass: f.failureClass, detector: f.detector, summary: f.summary, count: 0, spanIds: [], seen: new Set() }
      groups.set(key, group)
    }
    group.count++
    for (const id of f.spanIds) {
      if (group.seen.has(id)) continue
      group.seen.add(id)
      group.spanIds.push(id)
    }
  }
  return [...groups.values()]
    .map(({ seen: _seen, ...group }) => group)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
}
