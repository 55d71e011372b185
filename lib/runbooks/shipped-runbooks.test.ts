/**
 * The shipped library: every file parses, every failure class has exactly one runbook (plus triage), and every PromQL
 * block parses with Prometheus' own grammar and with Debian's promtool.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkPromql } from '@/lib/telemetry/promql'
import { FAILURE_CLASSES, TRIAGE_RUNBOOK_ID } from '@/lib/taxonomy'
import { extractChecklist, extractPromqlBlocks, parseRunbook } from './parse'

const DIR = path.resolve(import.meta.dirname, '../../runbooks')
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.md') && f !== 'README.md')
const runbooks = files.map((file) => ({ file, text: fs.readFileSync(path.join(DIR, file), 'utf8') }))

describe('shipped runbooks', () => {
  it.each(runbooks)('$file parses, with its id as its file name and the six sections', ({ file, text }) => {
    const parsed = parseRunbook(text)
    expect(parsed.ok ? [] : parsed.errors).toEqual([])
    if (!parsed.ok) return
    expect(`${parsed.frontMatter.id}.md`).toBe(file)
    const sections = [...parsed.body.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim())
    expect(sections).toEqual(['Symptoms', 'Confirm', 'Mitigate now', 'Roll back and escalate', 'Capture for the postmortem and the case library', 'Prevent'])
    expect(extractChecklist(parsed.body).length).toBeGreaterThanOrEqual(6)
    expect(extractPromqlBlocks(parsed.body).length).toBeGreaterThanOrEqual(2)
    expect(parsed.body).not.toMatch(/<\/?[a-z][a-z0-9]*[\s>]/i)
  })

  it('covers every failure class with exactly one runbook, plus triage', () => {
    const classes = runbooks.map(({ text }) => {
      const parsed = parseRunbook(text)
      return parsed.ok ? parsed.frontMatter.failureClass : 'broken'
    })
    for (const failureClass of FAILURE_CLASSES) expect(classes.filter((c) => c === failureClass.id), failureClass.id).toHaveLength(1)
    expect(files).toContain(`${TRIAGE_RUNBOOK_ID}.md`)
    expect(runbooks).toHaveLength(FAILURE_CLASSES.length + 1)
  })

  it('agrees with the taxonomy on error state and pathway', () => {
    for (const { text } of runbooks) {
      const parsed = parseRunbook(text)
      if (!parsed.ok || parsed.frontMatter.failureClass === 'unknown') continue
      const taxonomy = FAILURE_CLASSES.find((c) => c.id === parsed.frontMatter.failureClass)!
      expect([parsed.frontMatter.errorState, parsed.frontMatter.pathway], parsed.frontMatter.id).toEqual([taxonomy.errorState, taxonomy.pathway])
    }
  })

  const blocks = runbooks.flatMap(({ file, text }) => extractPromqlBlocks(text).map((query, i) => ({ where: `${file} block ${i + 1}`, query })))

  it('has PromQL blocks that parse with the Prometheus grammar', () => {
    const failures = blocks.map((b) => ({ where: b.where, ...checkPromql(b.query) })).filter((r) => !r.ok)
    expect(failures).toEqual([])
  })

  it('has PromQL blocks that Debian promtool accepts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-promql-'))
    const rules = ['groups:', '  - name: runbook-blocks', '    rules:']
    blocks.forEach((b, i) => {
      rules.push(`      - record: runbook:block:${i}`, '        expr: |', ...b.query.split('\n').map((l) => `          ${l}`))
    })
    fs.writeFileSync(path.join(dir, 'rules.yml'), rules.join('\n') + '\n')
    const out = execFileSync('/usr/bin/promtool', ['check', 'rules', path.join(dir, 'rules.yml')], { encoding: 'utf8' })
    fs.rmSync(dir, { recursive: true, force: true })
    expect(out).toContain(`SUCCESS: ${blocks.length} rules found`)
  })
})

describe('shipped runbook checklists', () => {
  it('can find every checklist step in the rendered markdown, so each one becomes a tickable step', async () => {
    const { unified } = await import('unified')
    const { default: remarkParse } = await import('remark-parse')
    const { default: remarkGfm } = await import('remark-gfm')
    const { toString } = await import('mdast-util-to-string')
    type Node = { type: string; checked?: boolean | null; children?: Node[] }
    for (const { file, text } of runbooks) {
      const parsed = parseRunbook(text)
      if (!parsed.ok) continue
      const tree = unified().use(remarkParse).use(remarkGfm).parse(parsed.body) as Node
      const steps: string[] = []
      const walk = (node: Node) => {
        if (node.type === 'listItem' && typeof node.checked === 'boolean') {
          // as the page does: the item's text without its nested lists
          const own = (node.children ?? []).filter((c) => c.type !== 'list')
          steps.push(own.map((c) => toString(c)).join(' ').replace(/\s+/g, ' ').trim())
        }
        node.children?.forEach(walk)
      }
      walk(tree)
      expect(extractChecklist(parsed.body).map((s) => s.plain), file).toEqual(steps)
    }
  })
})
