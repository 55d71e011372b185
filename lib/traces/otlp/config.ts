/**
 * The OTLP receiver's limits, read from the environment once (zod-validated; a bad value is reported with its name).
 *
 *   FIREBREAK_OTLP_MAX_BODY_MB            16         request body as sent (compressed when Content-Encoding: gzip); 413 above
 *   FIREBREAK_OTLP_MAX_DECOMPRESSED_MB    64         body after gunzip, counted while inflating (a gzip bomb stops here); 413 above
 *   FIREBREAK_OTLP_MAX_INFLIGHT_REQUESTS  32         exports being read, decoded or written at once; 429 above
 *   FIREBREAK_OTLP_MAX_INFLIGHT_MB        256        body bytes (inflated) those exports hold together; 429 above
 *   FIREBREAK_OTLP_MAX_CONCURRENT_WRITES  4          database writes at once (the rest wait in a queue)
 *   FIREBREAK_OTLP_MAX_QUEUED_SPANS       100000     spans waiting for a write; 429 above
 *   FIREBREAK_OTLP_RETENTION_HOURS        72         traces whose last span arrived longer ago are deleted
 *   FIREBREAK_OTLP_MAX_SPANS              2000000    stored spans at most; the oldest traces (by arrival) go first
 *
 * Retention and the size cap are enforced by pruneSpans, run after writes at most once a minute.
 * 429 and 503 answers carry Retry-After; OTLP exporters retry them (and drop data on other 5xx, so none are sent).
 */
import { z } from 'zod'

export interface OtlpLimits {
  maxBodyBytes: number
  maxDecompressedBytes: number
  maxInflightRequests: number
  maxInflightBytes: number
  maxConcurrentWrites: number
  maxQueuedSpans: number
  retentionHours: number
  maxSpans: number
}

const positive = (fallback: number, max: number) => z.coerce.number().positive().max(max).default(fallback)
const whole = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback)

const schema = z.object({
  FIREBREAK_OTLP_MAX_BODY_MB: positive(16, 1024),
  FIREBREAK_OTLP_MAX_DECOMPRESSED_MB: positive(64, 4096),
  FIREBREAK_OTLP_MAX_INFLIGHT_REQUESTS: whole(32, 10_000),
  FIREBREAK_OTLP_MAX_INFLIGHT_MB: positive(256, 65_536),
  FIREBREAK_OTLP_MAX_CONCURRENT_WRITES: whole(4, 256),
  FIREBREAK_OTLP_MAX_QUEUED_SPANS: whole(100_000, 100_000_000),
  FIREBREAK_OTLP_RETENTION_HOURS: positive(72, 24 * 3650),
  FIREBREAK_OTLP_MAX_SPANS: whole(2_000_000, 2_000_000_000),
})

export class OtlpConfigError extends Error {}

/** Pure, for tests: empty strings count as unset. */
export function parseOtlpLimits(env: Record<string, string | undefined>): OtlpLimits {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key]?.trim() || undefined]))
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    throw new OtlpConfigError(`OTLP receiver configuration: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`)
  }
  const e = parsed.data
  return {
    maxBodyBytes: Math.round(e.FIREBREAK_OTLP_MAX_BODY_MB * 1_048_576),
    maxDecompressedBytes: Math.round(e.FIREBREAK_OTLP_MAX_DECOMPRESSED_MB * 1_048_576),
    maxInflightRequests: e.FIREBREAK_OTLP_MAX_INFLIGHT_REQUESTS,
    maxInflightBytes: Math.round(e.FIREBREAK_OTLP_MAX_INFLIGHT_MB * 1_048_576),
    maxConcurrentWrites: e.FIREBREAK_OTLP_MAX_CONCURRENT_WRITES,
    maxQueuedSpans: e.FIREBREAK_OTLP_MAX_QUEUED_SPANS,
    retentionHours: e.FIREBREAK_OTLP_RETENTION_HOURS,
    maxSpans: e.FIREBREAK_OTLP_MAX_SPANS,
  }
}

let cached: OtlpLimits | undefined

export function getOtlpLimits(): OtlpLimits {
  cached ??= parseOtlpLimits(process.env)
  return cached
}
