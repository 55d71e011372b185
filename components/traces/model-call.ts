/**
 * What a responder should notice about one model call before reading it (seed 003's token-budget and context-window
 * failures, seed 000's post-processing failures). Pure, so each rule has a test.
 */
import type { ModelCall } from '@/lib/traces/model'

export interface ModelCallNote {
  tone: 'bad' | 'warn' | 'info'
  text: string
}

const LENGTH_REASONS = new Set(['length', 'max_tokens', 'max_output_tokens', 'model_length'])
const FILTER_REASONS = new Set(['content_filter', 'safety', 'recitation'])

export function modelCallNotes(call: ModelCall): ModelCallNote[] {
  const notes: ModelCallNote[] = []
  const reasons = call.finishReasons ?? []
  if (reasons.some((r) => LENGTH_REASONS.has(r.toLowerCase()))) {
    notes.push({ tone: 'bad', text: `Stopped at the token limit (finish reason "${reasons.join(', ')}"): the output is probably cut off.` })
  } else if (call.maxTokens !== undefined && call.outputTokens !== undefined && call.outputTokens >= call.maxTokens) {
    notes.push({ tone: 'warn', text: `Used all ${call.maxTokens} max_tokens: the output may be cut off.` })
  }
  if (reasons.some((r) => FILTER_REASONS.has(r.toLowerCase()))) notes.push({ tone: 'warn', text: `Stopped by a content filter (finish reason "${reasons.join(', ')}").` })
  if (call.contextWindow && call.inputTokens !== undefined) {
    const used = call.inputTokens + (call.outputTokens ?? 0)
    const share = used / call.contextWindow
    if (share >= 0.9) {
      notes.push({ tone: share >= 1 ? 'bad' : 'warn', text: `${Math.round(share * 100)} % of the ${call.contextWindow.toLocaleString('en-US')}-token context window used (${used.toLocaleString('en-US')} tokens).` })
    }
  }
  if (call.rawOutput !== undefined && call.postProcessedOutput !== undefined) {
    if (call.rawOutput.trim() && !call.postProcessedOutput.trim()) notes.push({ tone: 'bad', text: 'Post-processing turned a non-empty model output into nothing.' })
    else if (call.rawOutput !== call.postProcessedOutput) notes.push({ tone: 'info', text: 'Post-processing changed the output: compare the raw and the post-processed text.' })
  }
  return notes
}

/** Context-window use as a share (0-1+), when the span says both. */
export function contextShare(call: ModelCall): number | null {
  if (!call.contextWindow || call.inputTokens === undefined) return null
  return (call.inputTokens + (call.outputTokens ?? 0)) / call.contextWindow
}
