/** How the trace screens write times, durations and services. Times in the trace model are unix microseconds. */

/** 850 -> "850 µs", 12_345 -> "12.3 ms", 2_350_000 -> "2.35 s", 125_000_000 -> "2 min 5 s" */
export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '—'
  if (us < 1_000) return `${Math.round(us)} µs`
  const ms = us / 1_000
  if (ms < 10) return `${trim(ms.toFixed(2))} ms`
  if (ms < 100) return `${trim(ms.toFixed(1))} ms`
  if (ms < 1_000) return `${Math.round(ms)} ms`
  const s = ms / 1_000
  if (s < 10) return `${trim(s.toFixed(2))} s`
  if (s < 60) return `${trim(s.toFixed(1))} s`
  const minutes = Math.floor(s / 60)
  if (minutes < 60) return `${minutes} min ${Math.round(s - minutes * 60)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** An offset from the trace's start: "+12.3 ms". */
export function formatOffsetUs(us: number): string {
  return us === 0 ? '0' : `+${formatDurationUs(us)}`
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** Unix microseconds as an ISO timestamp (millisecond precision), for <Time>. */
export function isoFromUs(us: number): string {
  return new Date(Math.floor(us / 1_000)).toISOString()
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/**
 * A colour per service, stable across traces and reloads (a hash of the name), from a palette that stays apart for
 * the common kinds of colour blindness and reads on white.
 */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9a3412', '#4f46e5', '#0f766e', '#a16207', '#be185d']

export function serviceColor(service: string): string {
  let h = 0x811c9dc5
  for (let k = 0; k < service.length; k++) h = Math.imul(h ^ service.charCodeAt(k), 0x01000193)
  return PALETTE[(h >>> 0) % PALETTE.length]
}

/** Where a span's bar sits on the trace's time axis, in percent; a zero-length span still gets a visible sliver. */
export function barGeometry(startUs: number, durationUs: number, traceStartUs: number, traceDurationUs: number): { left: number; width: number } {
  if (traceDurationUs <= 0) return { left: 0, width: 100 }
  const left = Math.min(100, Math.max(0, ((startUs - traceStartUs) / traceDurationUs) * 100))
  const width = Math.max(0, Math.min(100 - left, (durationUs / traceDurationUs) * 100))
  return { left, width }
}

/** Tick marks for the time axis: about `count` round values from 0 to the trace's duration. */
export function axisTicks(durationUs: number, count = 5): number[] {
  if (durationUs <= 0) return [0]
  const raw = durationUs / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let t = 0; t <= durationUs + 1e-9; t += step) ticks.push(t)
  return ticks
}
