import { describe, expect, it } from 'vitest'
import { contextShare, modelCallNotes } from './model-call'

describe('modelCallNotes', () => {
  it('says nothing about a call that finished normally', () => {
    expect(modelCallNotes({ model: 'llama', finishReasons: ['stop'], inputTokens: 900, outputTokens: 100, maxTokens: 512, contextWindow: 8192, rawOutput: 'a', postProcessedOutput: 'a' })).toEqual([])
  })

  it('flags an output cut at the token limit', () => {
    expect(modelCallNotes({ finishReasons: ['length'] })[0]).toMatchObject({ tone: 'bad' })
    expect(modelCallNotes({ maxTokens: 256, outputTokens: 256 })[0]).toMatchObject({ tone: 'warn', text: expect.stringContaining('all 256 max_tokens') })
  })

  it('flags a nearly full context window', () => {
    const [note] = modelCallNotes({ contextWindow: 8192, inputTokens: 7900, outputTokens: 200 })
    expect(note).toMatchObject({ tone: 'warn', text: expect.stringContaining('99 %') })
    expect(modelCallNotes({ contextWindow: 8192, inputTokens: 8192, outputTokens: 1 })[0].tone).toBe('bad')
    expect(contextShare({ contextWindow: 1000, inputTokens: 250 })).toBe(0.25)
    expect(contextShare({ inputTokens: 250 })).toBeNull()
  })

  it('points at post-processing that changed or emptied the output', () => {
    expect(modelCallNotes({ rawOutput: '{"answer": 1}', postProcessedOutput: '' })[0]).toMatchObject({ tone: 'bad' })
    expect(modelCallNotes({ rawOutput: '```json\n{}\n```', postProcessedOutput: '{}' })[0]).toMatchObject({ tone: 'info' })
  })

  it('notices a content filter', () => {
    expect(modelCallNotes({ finishReasons: ['content_filter'] })[0].text).toContain('content filter')
  })
})
