'use client'
import type { Element, ElementContent } from 'hast'
import type { ReactNode } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import rehypeSlug from 'rehype-slug'
import remarkGfm from 'remark-gfm'
import { PromqlBlock, type PanelRange } from './promql-block'

export interface ChecklistState {
  /** the step's plain text -> its key and tick */
  items: { key: string; plain: string; tick?: { checked: boolean; byName: string; at: string } }[]
  canTick: boolean
  onToggle(key: string, checked: boolean): void
}

/** The step's own text: nested lists under a step are details, not part of its name. */
function textOf(node: ElementContent | Element): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element' && (node.tagName === 'ul' || node.tagName === 'ol')) return ''
  if ('children' in node) return node.children.map((c) => textOf(c as ElementContent)).join('')
  return ''
}

export function plainStep(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Allowed: what markdown produces. No raw HTML (react-markdown drops it), no javascript: URLs (sanitize). */
const schema = { ...defaultSchema, protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'] } }

export function RunbookMarkdown({ body, range, checklist }: { body: string; range: PanelRange; checklist?: ChecklistState }) {
  const used = new Set<string>()
  const components: Components = {
    code({ className, children }) {
      if (className === 'language-promql') return <PromqlBlock query={String(children).trim()} range={range} />
      return <code className={className}>{children}</code>
    },
    pre({ children, node }) {
      const first = node?.children[0]
      if (first && first.type === 'element' && first.tagName === 'code' && String((first.properties?.className as string[] | undefined)?.join(' ')).includes('language-promql')) {
        return <>{children}</>
      }
      return <pre>{children}</pre>
    },
    li({ node, children, className }) {
      if (!checklist || !String(className ?? '').includes('task-list-item') || !node) return <li className={className}>{children}</li>
      const plain = plainStep(textOf(node))
      const item = checklist.items.find((i) => i.plain === plain && !used.has(i.key))
      if (!item) return <li className={className}>{children}</li>
      used.add(item.key)
      const rest: ReactNode[] = (Array.isArray(children) ? children : [children]).filter((c) => !(typeof c === 'object' && c && 'type' in c && c.type === 'input'))
      return (
        <li className={`${className} checklist-step ${item.tick?.checked ? 'done' : ''}`}>
          <label className="step">
            <input
              type="checkbox"
              checked={!!item.tick?.checked}
              disabled={!checklist.canTick}
              onChange={(e) => checklist.onToggle(item.key, e.target.checked)}
            />
            <span>{rest}</span>
          </label>
          {item.tick ? (
            <span className="muted small tick-by">
              {item.tick.checked ? 'done' : 'un-ticked'} by {item.tick.byName} at {new Date(item.tick.at).toISOString().slice(11, 16)} UTC
            </span>
          ) : null}
        </li>
      )
    },
    a({ href, children }) {
      return (
        <a href={href} rel="noopener noreferrer nofollow" target={href?.startsWith('#') ? undefined : '_blank'}>
          {children}
        </a>
      )
    },
  }
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSlug, [rehypeSanitize, schema]]} components={components}>
        {body}
      </ReactMarkdown>
    </div>
  )
}
