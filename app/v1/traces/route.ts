import { getOtlpPool } from '@/lib/traces/otlp/pool'
import { handleOtlpTraces } from '@/lib/traces/otlp/receiver'
import { authenticateIngestToken } from '@/lib/tokens'

export const dynamic = 'force-dynamic'

/**
 * OTLP/HTTP traces (protobuf or JSON, optionally gzip), authenticated by an ingest token of kind "otlp"
 * (Authorization: Bearer fbk_otlp_…). Everything else is in lib/traces/otlp/receiver.ts.
 */
export function POST(request: Request): Promise<Response> {
  return handleOtlpTraces(request, {
    db: getOtlpPool,
    authenticate: (authorization, from) => authenticateIngestToken(authorization, 'otlp', from),
  })
}
