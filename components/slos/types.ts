/** What the SLO API sends (dates as ISO strings). */
export type Sli =
  | { kind: 'ratio'; goodQuery?: string; badQuery?: string; totalQuery: string }
  | { kind: 'threshold'; query: string; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number }

export interface Slo {
  id: string
  name: string
  displayName: string
  service: string
  description?: string
  objective: number
  periodDays: number
  sli: Sli
  alerting: 'sre-workbook' | 'pyrra'
  minEvents: number
  origin: string
  version: number
  updatedAt: string
}

export interface BurnRateStatus {
  rule: { severity: 'page' | 'ticket'; factor: number; long: string; short: string }
  longBurnRate: number | null
  shortBurnRate: number | null
  isFiring: boolean
  suppressedBy?: string
}

export interface SloStatus {
  at: string
  sli: number | null
  sliNow: number | null
  budgetRemaining: number | null
  hoursToExhaustion: number | null
  windows: { window: string; errorRatio: number | null; burnRate: number | null }[]
  alerts: BurnRateStatus[]
  condition: 'page' | 'ticket' | 'ok' | 'unknown'
  usesRecordedSeries: boolean
  missing: string[]
}

export interface TelemetryState {
  source: string | null
  isDemo: boolean
  problem: { message: string; down?: { backend: string; downSince: string; error: string } } | null
}

export type SloWithStatus = Slo & { status: SloStatus | null; error: string | null }

/** 0.999 -> "99.9 %", keeping the digits an objective needs. */
export function percent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  const p = value * 100
  const text = p.toFixed(digits).replace(/\.?0+$/, '')
  return `${text} %`
}

export function burn(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`
}

export function utcTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`
}
