import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { gzipBomb } from '@/tests/otlp/payloads'
import { BodyEncodingError, BodyTooLargeError, readOtlpBody } from './body'

const MB = 1_048_576

/** A request whose body is `total` bytes in 64 KiB chunks, counting how many bytes were actually pulled from it. */
function streamedRequest(source: Buffer | { zeros: number }, headers: Record<string, string> = {}) {
  const pulled = { bytes: 0 }
  const total = Buffer.isBuffer(source) ? source.length : source.zeros
  const chunk = 64 * 1024
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) return controller.close()
      const n = Math.min(chunk, total - pulled.bytes)
      controller.enqueue(Buffer.isBuffer(source) ? source.subarray(pulled.bytes, pulled.bytes + n) : new Uint8Array(n))
      pulled.bytes += n
    },
  }, { highWaterMark: 0 })
  const request = new Request('http://127.0.0.1/v1/traces', { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
  return { request, pulled }
}

const limits = { maxBodyBytes: 4 * MB, maxDecompressedBytes: 8 * MB }

describe('reading an OTLP body with limits', () => {
  it('reads a plain body and a gzip body', async () => {
    const text = Buffer.from('{"resourceSpans":[]}')
    expect((await readOtlpBody(streamedRequest(text).request, limits)).body.toString()).toBe(text.toString())
    const gz = streamedRequest(zlib.gzipSync(text))
    expect((await readOtlpBody(gz.request, { ...limits, contentEncoding: 'gzip' })).body.toString()).toBe(text.toString())
  })

  it('refuses a declared Content-Length over the limit without reading anything', async () => {
    const { request, pulled } = streamedRequest({ zeros: 100 * MB }, { 'content-length': String(100 * MB) })
    await expect(readOtlpBody(request, limits)).rejects.toBeInstanceOf(BodyTooLargeError)
    expect(pulled.bytes).toBe(0)
  })

  it('stops reading a 100 MB body without Content-Length just past the limit', async () => {
    const { request, pulled } = streamedRequest({ zeros: 100 * MB })
    const error = await readOtlpBody(request, limits).catch((e) => e)
    expect(error).toBeInstanceOf(BodyTooLargeError)
    expect(error.stage).toBe('wire')
    expect(pulled.bytes).toBeLessThan(limits.maxBodyBytes + 2 * MB)
  })

  it('stops inflating a gzip bomb (1 GB of zeros in about 1 MB) at the inflated limit', async () => {
    const bomb = gzipBomb(1024 * MB)
    expect(bomb.length).toBeLessThan(2 * MB)
    const { request, pulled } = streamedRequest(bomb)
    const started = performance.now()
    const error = await readOtlpBody(request, { maxBodyBytes: 4 * MB, maxDecompressedBytes: 8 * MB, contentEncoding: 'gzip' }).catch((e) => e)
    expect(error).toBeInstanceOf(BodyTooLargeError)
    expect(error.stage).toBe('decompressed')
    // 8 MB inflated is a few KB of this bomb: most of it was never even read, let alone inflated
    expect(pulled.bytes).toBeLessThan(bomb.length / 4)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('refuses a body that is not the gzip it claims to be, or is cut short', async () => {
    const notGzip = await readOtlpBody(streamedRequest(Buffer.from('{"resourceSpans":[]}')).request, { ...limits, contentEncoding: 'gzip' }).catch((e) => e)
    expect(notGzip).toBeInstanceOf(BodyEncodingError)
    expect(notGzip.unsupported).toBe(false)
    const gz = zlib.gzipSync(Buffer.alloc(10_000, 'x'))
    const cut = await readOtlpBody(streamedRequest(gz.subarray(0, gz.length - 10)).request, { ...limits, contentEncoding: 'gzip' }).catch((e) => e)
    expect(cut).toBeInstanceOf(BodyEncodingError)
  })

  it('refuses an encoding it does not decode as unsupported', async () => {
    const error = await readOtlpBody(streamedRequest(Buffer.from('x')).request, { ...limits, contentEncoding: 'br' }).catch((e) => e)
    expect(error).toBeInstanceOf(BodyEncodingError)
    expect(error.unsupported).toBe(true)
  })
})
