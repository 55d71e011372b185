import { describe, expect, it } from 'vitest'
import { axisTicks, barGeometry, formatDurationUs, serviceColor } from './format'
import { parseSearchQuery, parseTraceIdInput, searchApiUrl, searchHref, searchWindow } from './search-query'

describe('parseTraceIdInput', () => {
  it('accepts 32 hex digits in any case, trimmed', () => {
    expect(parseTraceIdInput('  4BF92F3577B34DA6A3CE929D0E0E4736\n')).toEqual({ ok: true, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' })
  })

  it('left-pads a 16-digit Jaeger id', () => {
    expect(parseTraceIdInput('a3ce929d0e0e4736')).toEqual({ ok: true, traceId: '0000000000000000a3ce929d0e0e4736' })
  })

  it('refuses anything else, saying what a trace id looks like', () => {
    const short = parseTraceIdInput('4bf92f35')
    expect(short.ok).toBe(false)
    if (!short.ok) expect(short.message).toContain('has 8 hex digits')
    const words = parseTraceIdInput('checkout is slow')
    expect(words.ok).toBe(false)
    if (!words.ok) {
      expect(words.message).toContain('is not a trace id')
      expect(words.suggestion).toBeUndefined()
    }
    expect(parseTraceIdInput('').ok).toBe(false)
    const zero = parseTraceIdInput('00000000000000000000000000000000')
    expect(zero.ok).toBe(false)
    if (!zero.ok) expect(zero.message).toContain('not traced')
  })

  it('suggests the id inside a traceparent or a log line instead of guessing', () => {
    const header = parseTraceIdInput('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
    expect(header).toMatchObject({ ok: false, suggestion: '4bf92f3577b34da6a3ce929d0e0e4736' })
    const log = parseTraceIdInput('level=error msg="generation failed" trace_id=4BF92F3577B34DA6A3CE929D0E0E4736 span_id=00f067aa0ba902b7')
    expect(log).toMatchObject({ ok: false, suggestion: '4bf92f3577b34da6a3ce929d0e0e4736' })
  })
})

describe('the search in the URL', () => {
  it('round-trips every field, leaving defaults out', () => {
    const { query, problems } = parseSearchQuery(
      new URLSearchParams('service=rag-gateway&model=llama-3-70b&status=error&minDurationMs=500&maxDurationMs=30000&attr=pipeline:rag-chat&attr=tenant:acme:eu&range=6h'),
    )
    expect(problems).toEqual([])
    expect(query).toMatchObject({ service: 'rag-gateway', model: 'llama-3-70b', status: 'error', minDurationMs: 500, maxDurationMs: 30000, attributes: ['pipeline:rag-chat', 'tenant:acme:eu'], range: '6h', limit: 50 })
    expect(searchHref(query)).toBe('/traces?service=rag-gateway&model=llama-3-70b&status=error&minDurationMs=500&maxDurationMs=30000&attr=pipeline%3Arag-chat&attr=tenant%3Aacme%3Aeu&range=6h')
    expect(searchHref(parseSearchQuery({}).query)).toBe('/traces')
  })

  it('reads the record Next gives a page as well as URLSearchParams', () => {
    const { query } = parseSearchQuery({ attr: ['a:1', ' b : 2 '], status: 'ok', limit: '500' })
    expect(query.attributes).toEqual(['a:1', 'b:2'])
    expect(query.limit).toBe(100)
    expect(query.status).toBe('ok')
  })

  it('drops what makes no sense and says so', () => {
    const { query, problems } = parseSearchQuery(new URLSearchParams('status=broken&minDurationMs=fast&attr=nocolon&range=2y&limit=0'))
    expect(query.status).toBeUndefined()
    expect(query.minDurationMs).toBeUndefined()
    expect(query).toMatchObject({ attributes: [], range: '1h', limit: 50 })
    expect(problems).toHaveLength(5)
    const inverted = parseSearchQuery(new URLSearchParams('minDurationMs=900&maxDurationMs=100'))
    expect(inverted.query.minDurationMs).toBeUndefined()
    expect(inverted.problems[0]).toContain('above the maximum')
  })

  it('takes a custom UTC window from datetime-local inputs', () => {
    const { query, problems } = parseSearchQuery(new URLSearchParams('start=2026-11-22T04:00&end=2026-11-22T05:30'))
    expect(problems).toEqual([])
    expect(searchWindow(query, 0)).toEqual({ start: '2026-11-22T04:00:00.000Z', end: '2026-11-22T05:30:00.000Z' })
    expect(parseSearchQuery(new URLSearchParams('start=2026-11-22T05:00Z&end=2026-11-22T04:00Z')).problems[0]).toContain('ends before it starts')
    expect(parseSearchQuery(new URLSearchParams('start=2026-11-22T05:00Z')).problems[0]).toContain('both a start and an end')
  })

  it('asks the API for the preset window ending now', () => {
    const { query } = parseSearchQuery(new URLSearchParams('range=15m&status=error&attr=pipeline:rag-chat'))
    const url = new URL(searchApiUrl(query, Date.parse('2026-11-22T04:30:00Z')), 'http://x')
    expect(url.pathname).toBe('/api/traces')
    expect(url.searchParams.get('start')).toBe('2026-11-22T04:15:00.000Z')
    expect(url.searchParams.get('end')).toBe('2026-11-22T04:30:00.000Z')
    expect(url.searchParams.get('status')).toBe('error')
    expect(url.searchParams.getAll('attr')).toEqual(['pipeline:rag-chat'])
    expect(url.searchParams.get('limit')).toBe('50')
  })
})

describe('formatting', () => {
  it('writes durations in the unit a person reads', () => {
    expect(formatDurationUs(850)).toBe('850 µs')
    expect(formatDurationUs(1_500)).toBe('1.5 ms')
    expect(formatDurationUs(12_345)).toBe('12.3 ms')
    expect(formatDurationUs(450_000)).toBe('450 ms')
    expect(formatDurationUs(2_350_000)).toBe('2.35 s')
    expect(formatDurationUs(125_000_000)).toBe('2 min 5 s')
    expect(formatDurationUs(-1)).toBe('—')
  })

  it('places bars on the trace axis and keeps them inside it', () => {
    expect(barGeometry(1_000, 500, 0, 2_000)).toEqual({ left: 50, width: 25 })
    expect(barGeometry(2_000, 0, 0, 2_000)).toEqual({ left: 100, width: 0 })
    expect(barGeometry(1_500, 5_000, 0, 2_000)).toEqual({ left: 75, width: 25 })
    expect(barGeometry(0, 0, 0, 0)).toEqual({ left: 0, width: 100 })
  })

  it('puts ticks on round values', () => {
    expect(axisTicks(1_000_000)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000])
    expect(axisTicks(0)).toEqual([0])
  })

  it('gives a service the same colour every time', () => {
    expect(serviceColor('rag-gateway')).toBe(serviceColor('rag-gateway'))
    expect(serviceColor('rag-gateway')).toMatch(/^#[0-9a-f]{6}$/)
  })
})

describe('the form without JavaScript', () => {
  it('reads range=custom with a window as that window, and without one as a mistake', () => {
    const custom = parseSearchQuery(new URLSearchParams('range=custom&start=2026-11-22T04:00&end=2026-11-22T05:00'))
    expect(custom.problems).toEqual([])
    expect(custom.query.start).toBe('2026-11-22T04:00:00.000Z')
    expect(parseSearchQuery(new URLSearchParams('range=custom')).problems[0]).toContain('needs both a start and an end')
  })
})
