import { AppError } from '@/lib/errors'

/**
 * Reads a request body up to a limit, stopping as soon as it is passed (a 50 MB body is refused after the limit,
 * not buffered whole). Content-Length, when sent, is checked first.
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new AppError('payload_too_large', `The body is larger than ${Math.round(maxBytes / 1_048_576)} MB. Lower max_alerts in the Alertmanager receiver, or raise ALERT_WEBHOOK_MAX_MB.`)
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new AppError('bad_request', 'The request body is empty: send the Alertmanager webhook JSON.')
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.')
  }
}
