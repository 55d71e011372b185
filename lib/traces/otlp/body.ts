/**
 * Reads an OTLP request body into memory with two limits: the bytes on the wire and, for Content-Encoding: gzip,
 * the bytes after inflating. Both are counted as the data streams in, so a 100 MB upload stops at the wire limit
 * and a gzip bomb stops at the inflated limit: neither is ever held, or inflated, whole.
 */
import { Readable, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { OverloadedError } from './gate'

export class BodyTooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly stage: 'wire' | 'decompressed',
  ) {
    super(
      stage === 'wire'
        ? `The request body is larger than ${formatBytes(limitBytes)}: send smaller batches (the exporter's batch size) or raise FIREBREAK_OTLP_MAX_BODY_MB.`
        : `The request body inflates to more than ${formatBytes(limitBytes)}: send smaller batches or raise FIREBREAK_OTLP_MAX_DECOMPRESSED_MB.`,
    )
  }
}

export class BodyEncodingError extends Error {
  /** true for a Content-Encoding Firebreak does not decode (415); false for a body that is not what it claims (400) */
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message)
  }
}

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${+(n / 1_048_576).toFixed(1)} MB` : `${n} bytes`
}

function counter(limit: number, stage: 'wire' | 'decompressed', seen: { bytes: number }, reserve?: (bytes: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen.bytes += chunk.length
      if (seen.bytes > limit) return callback(new BodyTooLargeError(limit, stage))
      try {
        reserve?.(chunk.length)
      } catch (error) {
        return callback(error as Error)
      }
      callback(null, chunk)
    },
  })
}

/**
 * The body as a Node stream that, when destroyed (a limit was hit), stops reading but does not cancel the request
 * body: cancelling would tear down the connection before the 413 could be sent. The unread rest stays with the
 * server, which closes the connection after answering.
 */
function bodySource(body: ReadableStream<Uint8Array>): Readable {
  const reader = body.getReader()
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => this.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
        (error) => this.destroy(error),
      )
    },
    destroy(error, callback) {
      try {
        reader.releaseLock()
      } catch {
        // a read still pending: the lock stays, nobody reads again
      }
      callback(error)
    },
  })
}

export interface ReadBodyOptions {
  maxBodyBytes: number
  maxDecompressedBytes: number
  /** the Content-Encoding header; only identity and gzip are accepted */
  contentEncoding?: string | null
  /** told of every chunk of the (inflated) body as it is kept; may throw to stop reading (an OverloadedError) */
  reserve?: (bytes: number) => void
}

export interface ReadBody {
  body: Buffer
  wireBytes: number
}

/**
 * The body as bytes, or BodyTooLargeError (413), or BodyEncodingError (415 for an unknown Content-Encoding; 400 for
 * a body that is not the gzip it claims to be, or is cut short).
 */
export async function readOtlpBody(request: Request, options: ReadBodyOptions): Promise<ReadBody> {
  const encoding = (options.contentEncoding ?? '').trim().toLowerCase()
  const gzip = encoding === 'gzip' || encoding === 'x-gzip'
  if (!gzip && encoding !== '' && encoding !== 'identity') {
    throw new BodyEncodingError(`Content-Encoding "${encoding}" is not supported: send gzip or no encoding.`, true)
  }
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > options.maxBodyBytes) throw new BodyTooLargeError(options.maxBodyBytes, 'wire')
  if (!request.body) return { body: Buffer.alloc(0), wireBytes: 0 }

  const wire = { bytes: 0 }
  const inflated = { bytes: 0 }
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  const source = bodySource(request.body)
  try {
    if (gzip) {
      // The inflated counter sits right after gunzip: once it errors, pipeline destroys gunzip and the source, so
      // nothing more is inflated or read.
      await pipeline(source, counter(options.maxBodyBytes, 'wire', wire), zlib.createGunzip({ chunkSize: 64 * 1024 }), counter(options.maxDecompressedBytes, 'decompressed', inflated, options.reserve), sink)
    } else {
      await pipeline(source, counter(options.maxBodyBytes, 'wire', wire, options.reserve), sink)
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError || error instanceof OverloadedError) throw error
    const code = (error as { code?: string }).code ?? ''
    if (gzip && code.startsWith('Z_')) throw new BodyEncodingError(`The body is not valid gzip (${(error as Error).message}), but Content-Encoding says gzip.`)
    throw new BodyEncodingError(`The request body could not be read: ${(error as Error).message}`)
  }
  return { body: Buffer.concat(chunks), wireBytes: wire.bytes }
}
