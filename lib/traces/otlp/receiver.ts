/**
 * OTLP/HTTP trace receiver (POST /v1/traces), independent of Next so tests and the benchmark can serve it from a
 * plain node:http server (./http-server.ts). The route passes the database and the token check.
 *
 * Status codes follow the OTLP/HTTP spec, because exporters act on them:
 *   200  stored (an empty ExportTraceServiceResponse in the request's encoding)
 *   400  malformed: bad JSON, truncated protobuf, invalid ids, a body that is not the gzip it claims; nothing stored
 *   401  no, unknown or revoked ingest token (kind "otlp")
 *   413  body over FIREBREAK_OTLP_MAX_BODY_MB on the wire or FIREBREAK_OTLP_MAX_DECOMPRESSED_MB inflated
 *   415  a content type other than application/x-protobuf or application/json, or a Content-Encoding other than gzip
 *   429  overloaded (too many exports at once, too many body bytes held, or too many spans waiting): Retry-After,
 *        the exporter retries
 *   503  the database cannot take the write (or the token check cannot run): Retry-After, the exporter retries
 * Never 500: exporters drop data on it. Failures carry a google.rpc.Status (protobuf or JSON, as the request).
 * Validation is all or nothing, so a 400 never leaves half an export stored.
 */
import { clientAddress } from '@/lib/auth/request'
import { AppError } from '@/lib/errors'
import { logger } from '@/lib/logger'
import { OtlpFormatError } from '../otlp-json'
import { maybePruneSpans, storeSpans, type SpanStoreDb } from '../store'
import { BodyEncodingError, BodyTooLargeError, readOtlpBody } from './body'
import { getOtlpLimits, type OtlpLimits } from './config'
import { decodeOtlpTraces, encodeExportResponse, encodeRpcStatus, type OtlpEncoding } from './decode'
import { IngestGate, OverloadedError, type GateTicket } from './gate'

export interface OtlpReceiverDeps {
  /**
   * where spans are written: a pg pool (the route's getOtlpPool, as a function so it is created on first use) or a
   * Prisma client
   */
  db: SpanStoreDb | (() => SpanStoreDb)
  /**
   * Checks the Authorization header; throws AppError('unauthenticated') for a bad token (401) and anything else when
   * it cannot check (503). The route passes lib/tokens' authenticateIngestToken with kind "otlp".
   */
  authenticate: (authorization: string | null, from: { ip?: string; userAgent?: string }) => Promise<unknown>
  /** defaults to the environment's (./config.ts) */
  limits?: OtlpLimits
  /** defaults to one gate per process built from the limits */
  gate?: IngestGate
  /** run retention after writes (at most once a minute); default true */
  prune?: boolean
}

/** gRPC status codes carried in google.rpc.Status */
const GRPC = { invalidArgument: 3, resourceExhausted: 8, unauthenticated: 16, unavailable: 14, unimplemented: 12 } as const

const CONTENT_TYPES: Record<string, OtlpEncoding> = { 'application/x-protobuf': 'protobuf', 'application/protobuf': 'protobuf', 'application/json': 'json' }

const processGate = globalThis as unknown as { firebreakOtlpGate?: IngestGate }

function defaultGate(limits: OtlpLimits): IngestGate {
  processGate.firebreakOtlpGate ??= new IngestGate(limits)
  return processGate.firebreakOtlpGate
}

export function encodingOf(contentType: string | null): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase()
  return CONTENT_TYPES[mediaType]
}

function reply(encoding: OtlpEncoding, status: number, body: Uint8Array, headers: Record<string, string> = {}): Response {
  return new Response(body as BodyInit, {
    status,
    headers: { 'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf', 'Cache-Control': 'no-store', ...headers },
  })
}

function failure(encoding: OtlpEncoding, status: number, grpcCode: number, message: string, retryAfterSeconds?: number): Response {
  return reply(encoding, status, encodeRpcStatus(encoding, grpcCode, message), retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {})
}

function unavailable(encoding: OtlpEncoding, what: string, error: unknown): Response {
  logger.warn(`OTLP receiver: ${what}; answering 503 so the exporter retries`, { error })
  return failure(encoding, 503, GRPC.unavailable, `Firebreak cannot store traces right now (${what}); retry later.`, 5)
}

export async function handleOtlpTraces(request: Request, deps: OtlpReceiverDeps): Promise<Response> {
  if (request.method !== 'POST') {
    return new Response(encodeRpcStatus('json', GRPC.unimplemented, 'Send traces with POST.') as BodyInit, { status: 405, headers: { Allow: 'POST', 'Content-Type': 'application/json' } })
  }
  const encoding = encodingOf(request.headers.get('content-type'))
  if (!encoding) {
    return failure('json', 415, GRPC.invalidArgument, `Content-Type "${request.headers.get('content-type') ?? ''}" is not OTLP: send application/x-protobuf or application/json.`)
  }

  let limits: OtlpLimits
  let gate: IngestGate
  let db: SpanStoreDb
  try {
    limits = deps.limits ?? getOtlpLimits()
    gate = deps.gate ?? defaultGate(limits)
    db = typeof deps.db === 'function' ? deps.db() : deps.db
  } catch (error) {
    return unavailable(encoding, 'the receiver is misconfigured', error)
  }

  let ticket: GateTicket
  try {
    ticket = gate.enterRequest()
  } catch (error) {
    if (error instanceof OverloadedError) return failure(encoding, 429, GRPC.resourceExhausted, error.message, error.retryAfterSeconds)
    return unavailable(encoding, 'an unexpected error', error)
  }
  try {
    const from = { ip: clientAddress(request.headers.get('x-forwarded-for'), request.headers.get('x-real-ip')), userAgent: request.headers.get('user-agent') ?? undefined }
    try {
      await deps.authenticate(request.headers.get('authorization'), from)
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthenticated') return failure(encoding, 401, GRPC.unauthenticated, error.userMessage)
      if (error instanceof AppError && error.status < 500) return failure(encoding, error.status, GRPC.invalidArgument, error.userMessage)
      return unavailable(encoding, 'the ingest token could not be checked', error)
    }

    let body: Buffer
    try {
      body = (
        await readOtlpBody(request, {
          maxBodyBytes: limits.maxBodyBytes,
          maxDecompressedBytes: limits.maxDecompressedBytes,
          contentEncoding: request.headers.get('content-encoding'),
          reserve: ticket.reserve,
        })
      ).body
    } catch (error) {
      if (error instanceof OverloadedError) return failure(encoding, 429, GRPC.resourceExhausted, error.message, error.retryAfterSeconds)
      if (error instanceof BodyTooLargeError) return failure(encoding, 413, GRPC.invalidArgument, error.message)
      if (error instanceof BodyEncodingError) return failure(encoding, error.unsupported ? 415 : 400, GRPC.invalidArgument, error.message)
      return unavailable(encoding, 'the request body could not be read', error)
    }

    let spans
    try {
      spans = decodeOtlpTraces(body, encoding)
    } catch (error) {
      if (error instanceof OtlpFormatError) {
        logger.info('OTLP receiver refused a malformed export', { reason: error.message, encoding, bytes: body.length })
        return failure(encoding, 400, GRPC.invalidArgument, `Malformed OTLP ${encoding === 'json' ? 'JSON' : 'protobuf'}: ${error.message}. Nothing was stored.`)
      }
      return failure(encoding, 400, GRPC.invalidArgument, 'The export could not be decoded. Nothing was stored.')
    }
    body = Buffer.alloc(0)

    if (spans.length > 0) {
      try {
        await gate.write(spans.length, () => storeSpans(db, spans))
      } catch (error) {
        if (error instanceof OverloadedError) return failure(encoding, 429, GRPC.resourceExhausted, error.message, error.retryAfterSeconds)
        return unavailable(encoding, 'the database did not take the write', error)
      }
      if (deps.prune !== false) maybePruneSpans(db, { retentionHours: limits.retentionHours, maxSpans: limits.maxSpans })
    }
    return reply(encoding, 200, encodeExportResponse(encoding))
  } catch (error) {
    // nothing above should get here; whatever does must still not be a 500
    return unavailable(encoding, 'an unexpected error', error)
  } finally {
    ticket.leave()
  }
}
