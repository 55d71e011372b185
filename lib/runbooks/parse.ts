/**
 * Runbook markdown: front matter, checklist steps, headings, PromQL blocks. Pure functions, used by provisioning,
 * the editor's save, the view and the tests.
 */
import { createHash } from 'node:crypto'
import GithubSlugger from 'github-slugger'
import matter from 'gray-matter'
import { frontMatterSchema, type RunbookFrontMatter } from './schema'

export type ParseResult = { ok: true; frontMatter: RunbookFrontMatter; body: string } | { ok: false; errors: string[] }

export function parseRunbook(text: string): ParseResult {
  let parsed: matter.GrayMatterFile<string>
  try {
    // gray-matter caches by input; a fresh options object disables that, so an error is reported every time
    parsed = matter(text, {})
  } catch (error) {
    return { ok: false, errors: [`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`] }
  }
  if (Object.keys(parsed.data).length === 0) return { ok: false, errors: ['front matter is missing: start the file with --- and the fields in docs/runbooks.md'] }
  const result = frontMatterSchema.safeParse(parsed.data)
  if (!result.success) return { ok: false, errors: result.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`) }
  return { ok: true, frontMatter: result.data, body: parsed.content }
}

export interface ChecklistItem {
  key: string
  section: string
  text: string
  /** the text as it reads once rendered (no backticks, emphasis markers or link targets), to find it on the page */
  plain: string
}

export function plainText(markdown: string): string {
  // code spans keep their content as is (metric names have underscores and asterisks); the rest loses its markup
  return markdown
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.slice(1, -1)
        : part
            .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/(\*\*|__)(.+?)\1/g, '$2')
            .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1$2'),
    )
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
}

const FENCE = /^(```|~~~)/

/** `- [ ] step` lines, keyed by section and text so a tick survives unrelated edits elsewhere in the runbook. */
export function extractChecklist(body: string): ChecklistItem[] {
  const items: ChecklistItem[] = []
  let section = ''
  let inFence = false
  for (const line of body.split('\n')) {
    if (FENCE.test(line.trim())) inFence = !inFence
    if (inFence) continue
    const heading = line.match(/^#{1,6}\s+(.*)$/)
    if (heading) section = heading[1].trim()
    const item = line.match(/^\s*[-*]\s+\[[ xX]\]\s+(.+)$/)
    if (item) {
      const text = item[1].trim()
      items.push({ key: createHash('sha256').update(`${section}\u0000${text}`).digest('hex').slice(0, 16), section, text, plain: plainText(text) })
    }
  }
  return items
}

export interface TocEntry {
  depth: number
  text: string
  slug: string
}

/** Headings for the table of contents, with the slugs rehype-slug gives them (sanitize prefixes user-content-). */
export function extractToc(body: string): TocEntry[] {
  const slugger = new GithubSlugger()
  const toc: TocEntry[] = []
  let inFence = false
  for (const line of body.split('\n')) {
    if (FENCE.test(line.trim())) inFence = !inFence
    if (inFence) continue
    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/)
    if (heading) {
      const text = heading[2].replace(/[*_`]/g, '')
      const slug = slugger.slug(text)
      if (heading[1].length >= 2 && heading[1].length <= 3) toc.push({ depth: heading[1].length, text, slug })
    }
  }
  return toc
}

/** The expressions of the fenced ```promql blocks, in order. */
export function extractPromqlBlocks(body: string): string[] {
  const blocks: string[] = []
  const re = /^```promql[^\n]*\n([\s\S]*?)^```/gm
  for (const match of body.matchAll(re)) blocks.push(match[1].trim())
  return blocks
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
