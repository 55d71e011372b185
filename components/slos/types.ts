/** What the SLO API sends (dates as ISO strings); the shapes are lib/slo's own, imported as types only. */
import type { SloStatus } from '@/lib/slo/evaluate'
import type { SloDefinition } from '@/lib/slo/openslo'

export type { BurnRateStatus } from '@/lib/slo/burn-rate'
export type { SloStatus } from '@/lib/slo/evaluate'
export type Sli = SloDefinition['sli']

export interface Slo extends SloDefinition {
  id: string
  alerting: 'sre-workbook' | 'pyrra'
  minEvents: number
  origin: string
  version: number
  updatedAt: string
}

export interface TelemetryState {
  source: string | null
  isDemo: boolean
  problem: { message: string; down?: { backend: string; downSince: string; error: string } } | null
}

export type SloWithStatus = Slo & { status: SloStatus | null; error: string | null }

export { percent } from '@/lib/slo/format'

export function burn(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`
}

export function utcTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`
}
