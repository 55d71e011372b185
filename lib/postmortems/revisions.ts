/**
 * Reading old versions of a postmortem: the route parameters of /postmortems/<n>/revisions/<v>, and which parts of the
 * document changed between two versions, as line diffs. Pure (no database), so the page and the tests share it.
 *
 * The document is compared as the reader sees it: the title, the summary, the timeline (one line per event, in time
 * order), each written section, where the root cause sits, and the contributing factors. A part counts as changed
 * only when its text as shown differs; a re-ordered but identical timeline is not a change.
 */
import { diffLines } from 'diff'
import { z } from 'zod'
import { sortTimeline } from './prefill'
import type { PostmortemContent, TimelineEvent } from './schemas'
import { CAUSE_AREA_LABELS, SECTIONS } from './template'

const versionMessage = 'must be a version number such as 3 or v3'

/** "3" or "v3": a version in a link. */
export const versionNumberSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v
    const digits = v.trim().replace(/^v/i, '')
    return /^\d{1,10}$/.test(digits) ? Number(digits) : v
  },
  z.number({ error: versionMessage }).int(versionMessage).min(1, versionMessage).max(2_147_483_647, versionMessage),
)

/** ?against=current compares the version with the postmortem as it is now; anything else, with the version before. */
export const againstSchema = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.enum(['previous', 'current']).catch('previous'))
export type Against = z.infer<typeof againstSchema>

/** The parts of a version that are compared: what a save can change. */
export interface ComparableVersion {
  title: string
  content: PostmortemContent
}

export interface ComparablePart {
  key: string
  title: string
  text: string
}

/** Same shape as the runbook DiffView's parts, so that component renders them. */
export interface DiffPart {
  value: string
  added: boolean
  removed: boolean
}

export interface PartChange {
  key: string
  title: string
  /** added: empty before; removed: empty after; changed: text on both sides */
  kind: 'added' | 'removed' | 'changed'
  parts: DiffPart[]
  addedLines: number
  removedLines: number
}

function eventTime(at: string): string {
  const d = new Date(at)
  return Number.isNaN(d.getTime()) ? at : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

function timelineText(events: TimelineEvent[]): string {
  return sortTimeline(events)
    .map((e) => `${eventTime(e.at)} [${e.kind}]${e.pinned ? ' (pinned)' : ''} ${e.text}`)
    .join('\n')
}

/** The document in reading order, each part as text (empty when nothing is written). */
export function comparableParts(version: ComparableVersion): ComparablePart[] {
  const { content } = version
  const parts: ComparablePart[] = [
    { key: 'title', title: 'Title', text: version.title },
    { key: 'summary', title: 'Summary', text: content.summary },
    { key: 'timeline', title: 'Timeline', text: timelineText(content.timeline) },
  ]
  for (const section of SECTIONS) {
    parts.push({ key: section.key, title: section.title, text: content.sections[section.key] ?? '' })
    if (section.key === 'root-cause') {
      parts.push({ key: 'cause-areas', title: 'Where the root cause sits', text: content.causeAreas.map((a) => CAUSE_AREA_LABELS[a]).join('\n') })
      parts.push({ key: 'factors', title: 'Contributing factors', text: content.factors.map((f) => `${CAUSE_AREA_LABELS[f.area]}: ${f.text}`).join('\n') })
    }
  }
  return parts
}

/** Line endings unified and one final newline, so "a" → "a\nb" is one added line, not a rewrite of "a". */
function normalise(text: string): string {
  const unified = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')
  return unified === '' ? '' : `${unified}\n`
}

function lineCount(value: string): number {
  return value.replace(/\n$/, '').split('\n').length
}

/** A line diff of two texts (removed lines before added ones where a run is replaced). */
export function lineDiff(before: string, after: string): DiffPart[] {
  return diffLines(normalise(before), normalise(after)).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed }))
}

/** The parts that differ between two versions, in reading order, each with its line diff. Empty when nothing changed. */
export function changedParts(before: ComparableVersion, after: ComparableVersion): PartChange[] {
  const old = new Map(comparableParts(before).map((p) => [p.key, normalise(p.text)]))
  const changes: PartChange[] = []
  for (const part of comparableParts(after)) {
    const from = old.get(part.key) ?? ''
    const to = normalise(part.text)
    if (from === to) continue
    const parts = lineDiff(from, to)
    changes.push({
      key: part.key,
      title: part.title,
      kind: from === '' ? 'added' : to === '' ? 'removed' : 'changed',
      parts,
      addedLines: parts.filter((p) => p.added).reduce((n, p) => n + lineCount(p.value), 0),
      removedLines: parts.filter((p) => p.removed).reduce((n, p) => n + lineCount(p.value), 0),
    })
  }
  return changes
}

/** "2 parts changed: +5 −1 lines" for the top of a comparison. */
export function describeChanges(changes: PartChange[]): string {
  if (changes.length === 0) return 'No changes.'
  const added = changes.reduce((n, c) => n + c.addedLines, 0)
  const removed = changes.reduce((n, c) => n + c.removedLines, 0)
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  return `${plural(changes.length, 'part')} changed: ${plural(added, 'line')} added, ${plural(removed, 'line')} removed.`
}
