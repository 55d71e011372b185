import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { changedParts, type ComparableVersion } from '@/lib/postmortems/revisions'
import { postmortemContentSchema } from '@/lib/postmortems/schemas'
import { RevisionChanges } from './revision-changes'

const version = (sections: Record<string, string>, summary = 'Latency rose.'): ComparableVersion => ({
  title: 'Checkout latency',
  content: postmortemContentSchema.parse({ summary, sections }),
})

const render = (before: ComparableVersion, after: ComparableVersion) =>
  renderToStaticMarkup(createElement(RevisionChanges, { changes: changedParts(before, after), label: 'Changes from version 1' }))

describe('the changes of a postmortem version', () => {
  it('shows only the changed sections, each with a heading, its +/- lines and a link from the list at the top', () => {
    const html = render(version({ impact: 'Slow checkouts.' }), version({ impact: 'Slow checkouts.\nSome failed.', lessons: 'Alert on p99.' }))
    expect(html).toContain('href="#change-impact"')
    expect(html).toContain('id="change-impact"')
    expect(html).toContain('id="change-lessons"')
    expect(html).not.toContain('change-summary')
    expect(html).not.toContain('change-detection')
    expect(html).toContain('+ Some failed.')
    expect(html).toContain('>written<')
  })

  it('says so when nothing changed', () => {
    const same = version({ impact: 'Slow checkouts.' })
    expect(render(same, same)).toContain('No differences in the text.')
  })

  it('shows hostile markdown in a diff as text, never as markup', () => {
    const html = render(version({}), version({ impact: '<script>window.__xss = 1</script>\n<img src=x onerror="window.__xss=2">' }))
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;')
  })
})
