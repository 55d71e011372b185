import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { isInternalHref, PostmortemMarkdown } from './postmortem-markdown'

/** The payloads the runbook XSS test uses, as a postmortem section would hold them. */
const HOSTILE = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg/onload=window.__xss=1>',
  '<iframe src="javascript:parent.__xss=1"></iframe>',
  '<a href="jav&#x09;ascript:window.__xss=1">tab link</a>',
  '[markdown link](javascript:window.__xss=1)',
  '![image](javascript:window.__xss=1)',
  '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<div style="background:url(javascript:window.__xss=1)">styled</div>',
  '"><script>alert(document.cookie)</script>',
].join('\n\n')

describe('postmortem markdown', () => {
  it('renders hostile markup without scripts, event handlers, frames or script URLs', () => {
    const html = renderToStaticMarkup(createElement(PostmortemMarkdown, { text: `## Impact\n\n${HOSTILE}\n\nPlain **bold** text.` }))
    expect(html).not.toMatch(/<script|<iframe|<svg|\son\w+=|javascript:|data:text/i)
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('markdown link')
  })

  it('keeps links to Firebreak pages in the same tab and opens others safely', () => {
    const html = renderToStaticMarkup(createElement(PostmortemMarkdown, { text: 'See [INC-4](/incidents/4) and [the vLLM docs](https://docs.vllm.ai/).' }))
    expect(html).toContain('<a href="/incidents/4">INC-4</a>')
    expect(html).toContain('<a href="https://docs.vllm.ai/" rel="noopener noreferrer nofollow" target="_blank">the vLLM docs</a>')
  })

  it('opens a protocol-relative link ("//host") as another site, not as a Firebreak page', () => {
    const html = renderToStaticMarkup(createElement(PostmortemMarkdown, { text: '[a](//evil.example/x)' }))
    expect(html).toContain('<a href="//evil.example/x" rel="noopener noreferrer nofollow" target="_blank">a</a>')
    expect([isInternalHref('/incidents/4'), isInternalHref('#impact'), isInternalHref('//evil.example'), isInternalHref('/\\evil.example'), isInternalHref(undefined)]).toEqual([true, true, false, false, false])
  })

  it('says when a section is not written', () => {
    expect(renderToStaticMarkup(createElement(PostmortemMarkdown, { text: '  \n' }))).toBe('<p class="pm-not-written">Not written yet.</p>')
  })
})
