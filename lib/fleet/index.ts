import 'server-only'
import { getFileConfig } from '@/lib/config'
import { alignToInterval, backendHealth, getMetricsSource, PANEL_REFRESH_MS } from '@/lib/telemetry'
import type { FleetQuery } from './schemas'
import { fleetResponse } from './service'
import type { FleetResponse } from './types'

export { fleetQuerySchema, type FleetQuery } from './schemas'
export type { FleetResponse } from './types'

/**
 * The fleet view at a moment, or now. "Now" is rounded down to the refresh interval so every viewer's load shares the
 * coalesced backend queries: twenty responders cost Prometheus what one does.
 */
export function readFleet(query: FleetQuery): Promise<FleetResponse> {
  const at = query.at ?? alignToInterval(new Date(), PANEL_REFRESH_MS)
  return fleetResponse(getMetricsSource(), getFileConfig().fleet, at, query.pipeline ?? null, backendHealth)
}
