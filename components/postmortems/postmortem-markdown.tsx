import ReactMarkdown, { type Components } from 'react-markdown'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import remarkGfm from 'remark-gfm'

/**
 * Written sections as the runbooks render them: markdown only. Raw HTML is dropped (react-markdown without rehype-raw),
 * the result is sanitised (rehype-sanitize's GitHub schema, links limited to http, https, mailto and paths), and the
 * page's nonce CSP stops any script that got past both. No hooks: it renders on the server (print view) and client.
 */
const schema = { ...defaultSchema, protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'], src: ['http', 'https'] } }

/** A path on this host or an anchor; "//host" and "/\\host" are other hosts (browsers read both as protocol-relative). */
export function isInternalHref(href: string | undefined): boolean {
  if (!href) return false
  return href.startsWith('#') || (href.startsWith('/') && !/^\/[/\\]/.test(href))
}

const components: Components = {
  a({ href, children }) {
    const isInternal = isInternalHref(href)
    return (
      <a href={href} rel={isInternal ? undefined : 'noopener noreferrer nofollow'} target={isInternal ? undefined : '_blank'}>
        {children}
      </a>
    )
  },
}

export function PostmortemMarkdown({ text, emptyText = 'Not written yet.' }: { text: string; emptyText?: string }) {
  if (!text.trim()) return <p className="pm-not-written">{emptyText}</p>
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[[rehypeSanitize, schema]]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  )
}
