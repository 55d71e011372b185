/** How the fleet view writes numbers, shared by the flag texts (server) and the tables (browser). */

/** 0.981 -> "98 %", 0.004 -> "0.4 %" */
export function formatShare(share: number): string {
  const percent = share * 100
  if (percent !== 0 && Math.abs(percent) < 10) return `${trim(percent.toFixed(1))} %`
  return `${Math.round(percent)} %`
}

/** 0.8 -> "0.80/s", 12 -> "12/s" */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s'
  if (Math.abs(perSecond) >= 10) return `${Math.round(perSecond)}/s`
  return `${perSecond.toFixed(2)}/s`
}

/** 45 -> "45 s", 1860 -> "31 min", 8000 -> "2 h 13 min" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 120) return `${s} s`
  const minutes = Math.floor(s / 60)
  if (minutes < 120) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** MiB (dcgm-exporter's unit) as GiB with one decimal: 81920 -> "80.0 GiB" */
export function formatGiB(mib: number): string {
  return `${(mib / 1024).toFixed(1)} GiB`
}

export function formatMiB(mib: number): string {
  return `${Math.round(mib).toLocaleString('en-US')} MiB`
}

/** Counts from Prometheus arrive as floats; a count is shown whole. */
export function formatCount(value: number): string {
  return String(Math.round(value))
}

/** "2026-11-22T04:31:00.000Z" -> "04:31 UTC" */
export function formatUtcTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`
}

/** "2026-11-22T04:31:00.000Z" -> "2026-11-22 04:31:00 UTC" */
export function formatUtcMoment(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

function trim(fixed: string): string {
  return fixed.replace(/\.0$/, '')
}
