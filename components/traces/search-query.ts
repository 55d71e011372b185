/**
 * The trace search lives in the URL (/traces?service=…&status=error&range=1h), so a link pasted into the incident
 * channel shows the same search. This module reads and writes that query and turns it into the API's query string;
 * it is pure, so the server page and the form share it and the tests pin it.
 */
import { normalizeTraceId } from '@/lib/traces/model'

export const RANGE_PRESETS = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]['id']
export const DEFAULT_RANGE: RangePreset = '1h'
export const DEFAULT_LIMIT = 50
/** the API's cap (lib/traces/view.ts) */
export const MAX_LIMIT = 100
export const LIMIT_CHOICES = [20, 50, 100] as const

export interface TraceSearchQuery {
  service?: string
  model?: string
  status?: 'error' | 'ok'
  minDurationMs?: number
  maxDurationMs?: number
  /** exact attribute matches as typed: "key:value" */
  attributes: string[]
  /** a window relative to now … */
  range: RangePreset
  /** … unless both ends are given (ISO, UTC) */
  start?: string
  end?: string
  limit: number
}

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>

function all(raw: RawParams, key: string): string[] {
  if (raw instanceof URLSearchParams) return raw.getAll(key)
  const value = raw[key]
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function one(raw: RawParams, key: string): string | undefined {
  const value = all(raw, key)[0]?.trim()
  return value ? value : undefined
}

/** "2026-11-22T04:30" (a datetime-local input, read as UTC) or a full ISO time -> ISO, or null. */
export function parseUtcMoment(value: string): string | null {
  const text = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** "pipeline:rag-chat" -> ["pipeline", "rag-chat"]; the key may not be empty, the value may hold colons. */
export function parseAttributeFilter(text: string): [string, string] | null {
  const at = text.indexOf(':')
  if (at <= 0) return null
  const key = text.slice(0, at).trim()
  const value = text.slice(at + 1).trim()
  return key ? [key, value] : null
}

function duration(raw: RawParams, key: string, label: string, problems: string[]): number | undefined {
  const text = one(raw, key)
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0) {
    problems.push(`${label} must be a number of milliseconds, not "${text}"`)
    return undefined
  }
  return value
}

/**
 * Reads a search from the URL. Lenient: a part that does not make sense is dropped and named in `problems`, so a
 * mangled link still searches with the rest and says what it ignored.
 */
export function parseSearchQuery(raw: RawParams): { query: TraceSearchQuery; problems: string[] } {
  const problems: string[] = []
  const query: TraceSearchQuery = { attributes: [], range: DEFAULT_RANGE, limit: DEFAULT_LIMIT }
  query.service = one(raw, 'service')
  query.model = one(raw, 'model')
  const status = one(raw, 'status')
  if (status === 'error' || status === 'ok') query.status = status
  else if (status !== undefined) problems.push(`status must be "error" or "ok", not "${status}"`)
  query.minDurationMs = duration(raw, 'minDurationMs', 'The minimum duration', problems)
  query.maxDurationMs = duration(raw, 'maxDurationMs', 'The maximum duration', problems)
  if (query.minDurationMs !== undefined && query.maxDurationMs !== undefined && query.minDurationMs > query.maxDurationMs) {
    problems.push(`the minimum duration (${query.minDurationMs} ms) is above the maximum (${query.maxDurationMs} ms): both were ignored`)
    query.minDurationMs = undefined
    query.maxDurationMs = undefined
  }
  for (const text of all(raw, 'attr').map((a) => a.trim()).filter(Boolean)) {
    const pair = parseAttributeFilter(text)
    if (pair) query.attributes.push(`${pair[0]}:${pair[1]}`)
    else problems.push(`an attribute filter is written key:value, e.g. pipeline:rag-chat, not "${text}"`)
  }
  const range = one(raw, 'range')
  // "custom" is what the form's select says when the window is given by start and end
  if (range === 'custom' && one(raw, 'start') === undefined && one(raw, 'end') === undefined) {
    problems.push('a custom window needs both a start and an end (UTC): the last hour was used instead')
  } else if (range !== undefined && range !== 'custom') {
    if (RANGE_PRESETS.some((p) => p.id === range)) query.range = range as RangePreset
    else problems.push(`the time range "${range}" is not one of ${RANGE_PRESETS.map((p) => p.id).join(', ')}`)
  }
  const startText = one(raw, 'start')
  const endText = one(raw, 'end')
  if (startText !== undefined || endText !== undefined) {
    const start = startText ? parseUtcMoment(startText) : null
    const end = endText ? parseUtcMoment(endText) : null
    if (!start || !end) problems.push('a custom window needs both a start and an end (UTC): the preset range was used instead')
    else if (start >= end) problems.push('the window ends before it starts: the preset range was used instead')
    else {
      query.start = start
      query.end = end
    }
  }
  const limitText = one(raw, 'limit')
  if (limitText !== undefined) {
    const limit = Number(limitText)
    if (Number.isInteger(limit) && limit >= 1) query.limit = Math.min(limit, MAX_LIMIT)
    else problems.push(`limit must be a whole number, not "${limitText}"`)
  }
  return { query, problems }
}

/** The page URL's query for a search; defaults are left out so links stay short. */
export function searchQueryToParams(query: TraceSearchQuery): URLSearchParams {
  const params = new URLSearchParams()
  if (query.service) params.set('service', query.service)
  if (query.model) params.set('model', query.model)
  if (query.status) params.set('status', query.status)
  if (query.minDurationMs !== undefined) params.set('minDurationMs', String(query.minDurationMs))
  if (query.maxDurationMs !== undefined) params.set('maxDurationMs', String(query.maxDurationMs))
  for (const a of query.attributes) params.append('attr', a)
  if (query.start && query.end) {
    params.set('start', query.start)
    params.set('end', query.end)
  } else if (query.range !== DEFAULT_RANGE) params.set('range', query.range)
  if (query.limit !== DEFAULT_LIMIT) params.set('limit', String(query.limit))
  return params
}

export function searchHref(query: TraceSearchQuery): string {
  const params = searchQueryToParams(query).toString()
  return params ? `/traces?${params}` : '/traces'
}

/** The window a search covers at `now`: the custom one, or the preset ending now. */
export function searchWindow(query: TraceSearchQuery, now: number): { start: string; end: string } {
  if (query.start && query.end) return { start: query.start, end: query.end }
  const preset = RANGE_PRESETS.find((p) => p.id === query.range) ?? RANGE_PRESETS[1]
  return { start: new Date(now - preset.ms).toISOString(), end: new Date(now).toISOString() }
}

/** GET /api/traces for a search at `now`. */
export function searchApiUrl(query: TraceSearchQuery, now: number): string {
  const { start, end } = searchWindow(query, now)
  const params = new URLSearchParams({ start, end })
  if (query.service) params.set('service', query.service)
  if (query.model) params.set('model', query.model)
  if (query.status) params.set('status', query.status)
  if (query.minDurationMs !== undefined) params.set('minDurationMs', String(query.minDurationMs))
  if (query.maxDurationMs !== undefined) params.set('maxDurationMs', String(query.maxDurationMs))
  for (const a of query.attributes) params.append('attr', a)
  params.set('limit', String(query.limit))
  return `/api/traces?${params}`
}

export type TraceIdInput = { ok: true; traceId: string } | { ok: false; message: string; suggestion?: string }

/**
 * What a responder pastes (from a log line, an alert annotation, an exemplar): 32 hex digits, or 16 for a 64-bit
 * Jaeger id, whitespace trimmed. Anything else is refused with what a trace id looks like; when the text holds one
 * (a whole log line, a traceparent header) it is offered as a suggestion rather than guessed silently.
 */
export function parseTraceIdInput(text: string): TraceIdInput {
  const trimmed = text.trim()
  if (!trimmed) return { ok: false, message: 'Paste a trace id: 32 hexadecimal digits (16 for older Jaeger ids).' }
  const traceId = normalizeTraceId(trimmed)
  if (traceId) return { ok: true, traceId }
  const example = 'e.g. 4bf92f3577b34da6a3ce929d0e0e4736'
  if (/^0+$/.test(trimmed)) return { ok: false, message: 'An all-zero trace id is the "no trace" value: the request was not traced.' }
  const found = trimmed.match(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/i)?.[0]
  const suggestion = found ? normalizeTraceId(found) ?? undefined : undefined
  const what = /^[0-9a-f]+$/i.test(trimmed)
    ? `"${shorten(trimmed)}" has ${trimmed.length} hex digits; a trace id has 32 (or 16 for older Jaeger ids), ${example}.`
    : `"${shorten(trimmed)}" is not a trace id: a trace id is 32 hexadecimal digits (0-9, a-f), ${example}.`
  return { ok: false, message: what, suggestion }
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
