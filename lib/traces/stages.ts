/**
 * Traces written by hand as stages (the demo's story, the wizard's scenarios): each stage a span with a key, its
 * parent's key and times relative to the request, turned into the Trace the OTLP receiver would have stored. Ids are
 * hashes of the seeds, so the same story stored twice is the same trace.
 */
import { createHash } from 'node:crypto'
import type { Attributes, SpanKind, SpanStatusCode, Trace, TraceSpan } from './model'

export interface Stage {
  key: string
  name: string
  service: string
  parent: string | null
  startMs: number
  durationMs: number
  attributes: Attributes
  kind?: SpanKind
  /** an error status with this message */
  error?: string
}

export function seededHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length)
}

export function traceFromStages(
  seeds: { trace: string; span: (key: string) => string },
  startsAt: Date,
  stages: Stage[],
  origin: { environment: string; scope: { name: string; version?: string } },
): Trace {
  const traceId = seededHex(seeds.trace, 32)
  const spanId = (key: string) => seededHex(seeds.span(key), 16)
  const startUs = startsAt.getTime() * 1000
  const spans: TraceSpan[] = stages.map((s) => {
    const status: { code: SpanStatusCode; message?: string } = s.error ? { code: 'error', message: s.error } : { code: 'unset' }
    return {
      traceId,
      spanId: spanId(s.key),
      parentSpanId: s.parent ? spanId(s.parent) : null,
      name: s.name,
      service: s.service,
      kind: s.kind ?? (s.parent ? 'client' : 'server'),
      startUs: startUs + s.startMs * 1000,
      durationUs: s.durationMs * 1000,
      status,
      attributes: s.attributes,
      resource: { 'service.name': s.service, 'deployment.environment': origin.environment },
      scope: origin.scope,
      events: [],
      links: [],
    }
  })
  return { traceId, spans, source: 'OTLP receiver' }
}
