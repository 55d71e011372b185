import { describe, expect, it } from 'vitest'
import { extractChecklist, extractPromqlBlocks, extractToc, parseRunbook, plainText } from './parse'

const runbook = `---
id: gpu-oom
title: GPU out-of-memory
failureClass: gpu-oom
errorState: runtime
pathway: infrastructure
signals: [KV cache usage near 1]
owners: [ml-platform]
version: 1
lastReviewed: 2026-11-22
---
## Symptoms
Pods restart.

## Confirm
- [ ] Check \`vllm:kv_cache_usage_perc\` above **0.95**
- [x] Read [the dashboard](https://grafana.example/d/vllm)

\`\`\`promql
max by (model_name) (vllm:kv_cache_usage_perc)
\`\`\`

\`\`\`bash
# - [ ] not a step inside a code block
\`\`\`

## Mitigate now
- [ ] Lower --gpu-memory-utilization to 0.85
`

describe('runbook parsing', () => {
  it('reads and validates the front matter', () => {
    const result = parseRunbook(runbook)
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.frontMatter).toMatchObject({ id: 'gpu-oom', failureClass: 'gpu-oom', lastReviewed: '2026-11-22' })
  })

  it('names the field that is wrong', () => {
    const broken = runbook.replace('errorState: runtime', 'errorState: on-fire').replace('owners: [ml-platform]\n', '')
    const result = parseRunbook(broken)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors.map((e) => e.split(':')[0]).sort()).toEqual(['errorState', 'owners'])
    const yaml = parseRunbook('---\nid: [unclosed\n---\nbody')
    expect(yaml.ok).toBe(false)
    if (!yaml.ok) expect(yaml.errors[0]).toMatch(/not valid YAML/)
    expect(parseRunbook('no front matter').ok).toBe(false)
  })

  it('turns task items into checklist steps keyed by section and text, ignoring code blocks', () => {
    const steps = extractChecklist(parseRunbook(runbook).ok ? runbook.split('---\n')[2] : '')
    expect(steps.map((s) => [s.section, s.plain])).toEqual([
      ['Confirm', 'Check vllm:kv_cache_usage_perc above 0.95'],
      ['Confirm', 'Read the dashboard'],
      ['Mitigate now', 'Lower --gpu-memory-utilization to 0.85'],
    ])
    expect(new Set(steps.map((s) => s.key)).size).toBe(3)
    const moved = extractChecklist(runbook.replace('## Symptoms\nPods restart.', '## Symptoms\nPods restart, often.'))
    expect(moved.map((s) => s.key)).toEqual(extractChecklist(runbook).map((s) => s.key))
  })

  it('lists PromQL blocks and headings for the table of contents', () => {
    expect(extractPromqlBlocks(runbook)).toEqual(['max by (model_name) (vllm:kv_cache_usage_perc)'])
    expect(extractToc(runbook).map((t) => t.slug)).toEqual(['symptoms', 'confirm', 'mitigate-now'])
  })

  it('renders inline markdown as plain text without touching metric names', () => {
    expect(plainText('Check `DCGM_FI_DEV_FB_USED` and **kv_cache_usage** in [panel](https://x.example)')).toBe('Check DCGM_FI_DEV_FB_USED and kv_cache_usage in panel')
  })
})
