/**
 * Serves a fetch-style handler (handleOtlpTraces) from a plain node:http server on 127.0.0.1, for the integration
 * tests and the benchmark, which then need neither a Next build nor a session. Not used by the app.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'

export interface ServedHandler {
  url: string
  close(): Promise<void>
}

export async function serveFetchHandler(handler: (request: Request) => Promise<Response>, port = 0): Promise<ServedHandler> {
  const server = http.createServer((req, res) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit)
    handler(request)
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer())
        const out: Record<string, string> = {}
        response.headers.forEach((value, name) => (out[name] = value))
        res.writeHead(response.status, out)
        res.end(body)
        // A refused body that was not read to the end (413): discard what still arrives, so the client can read the
        // answer instead of failing its upload on a closed socket, and close the connection after a grace period.
        if (!req.complete) {
          res.once('finish', () => {
            req.removeAllListeners('data')
            req.on('data', () => undefined)
            req.resume()
            setTimeout(() => req.socket.destroy(), 2_000).unref()
          })
        }
      })
      .catch((error) => {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(error))
      })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
