import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'

/** One request as a whoami server received it. */
export interface WhoamiRequest {
  readonly method: string
  /** The request target exactly as it came on the request line. */
  readonly url: string
  readonly httpVersion: string
  /** Header names as sent, values as received, in order. */
  readonly rawHeaders: readonly string[]
  readonly remoteAddress: string
  readonly remotePort: number
  readonly body: string
}

export interface Whoami {
  readonly name: string
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Every request so far, oldest first. */
  readonly requests: readonly WhoamiRequest[]
  close(): Promise<void>
}

/**
 * A server that answers like the `traefik/whoami` image Traefik's own
 * integration tests use: a plain-text echo of who answered and what arrived.
 *
 * ```text
 * Name: whoami1
 * Hostname: build-box
 * IP: 127.0.0.1
 * RemoteAddr: 127.0.0.1:53412
 * GET /whoami?x=1 HTTP/1.1
 * Host: 127.0.0.1:8000
 * User-Agent: curl/8.0
 * X-Forwarded-For: 127.0.0.1
 * ```
 *
 * The request line carries the target as received, so a test can see what
 * the proxy forwarded; `requests` keeps the same for assertions.
 */
export async function startWhoami(name: string): Promise<Whoami> {
  const requests: WhoamiRequest[] = []
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (data: Buffer) => parts.push(data))
    req.on('end', () => {
      const seen: WhoamiRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        rawHeaders: [...req.rawHeaders],
        remoteAddress: req.socket.remoteAddress ?? '',
        remotePort: req.socket.remotePort ?? 0,
        body: Buffer.concat(parts).toString(),
      }
      requests.push(seen)
      answer(name, req, res, seen)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    },
  }
}

function answer(name: string, req: IncomingMessage, res: ServerResponse, seen: WhoamiRequest): void {
  const lines = [
    `Name: ${name}`,
    `Hostname: ${hostname()}`,
    `IP: ${req.socket.localAddress ?? ''}`,
    `RemoteAddr: ${seen.remoteAddress}:${seen.remotePort}`,
    `${seen.method} ${seen.url} HTTP/${seen.httpVersion}`,
  ]
  const host = req.headers.host
  if (host !== undefined) lines.push(`Host: ${host}`)
  for (let i = 0; i < seen.rawHeaders.length; i += 2) {
    if (seen.rawHeaders[i]!.toLowerCase() !== 'host') lines.push(`${seen.rawHeaders[i]}: ${seen.rawHeaders[i + 1]}`)
  }
  const text = `${lines.join('\r\n')}\r\n\r\n${seen.body}`
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
