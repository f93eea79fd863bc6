import { createServer, type Agent, type IncomingMessage, type ServerResponse } from 'node:http'
import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import { parseArgs } from 'node:util'

/** Where a peer proxy listens and where it forwards: `--port=<n> --target=http://127.0.0.1:<n>`. */
export interface PeerOptions {
  readonly port: number
  readonly target: URL
}

/** Reads the two flags every peer takes; exits with a usage line when one is missing. */
export function peerOptions(argv: readonly string[] = process.argv.slice(2)): PeerOptions {
  const { values } = parseArgs({ args: [...argv], options: { port: { type: 'string' }, target: { type: 'string' } } })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port <= 0 || values.target === undefined) {
    throw new Error('reading peer flags: usage: --port=<port> --target=http://127.0.0.1:<port>')
  }
  return { port, target: new URL(values.target) }
}

/** The part of http-proxy's API that http-proxy-3 shares. */
interface WebProxy extends EventEmitter {
  web(req: IncomingMessage, res: ServerResponse): void
}

/**
 * Serves a peer built on `http-proxy` or `http-proxy-3` with its default
 * pipeline: 502 on a proxy error, and a clean stop on SIGTERM.
 */
export function servePeer(port: number, proxy: WebProxy, agent: Agent): void {
  proxy.on('error', (_error: Error, _req: IncomingMessage, res: ServerResponse | Socket) => {
    if ('writeHead' in res && !res.headersSent) res.writeHead(502)
    res.end()
  })
  const server = createServer((req, res) => proxy.web(req, res))
  server.listen(port, '127.0.0.1')
  process.once('SIGTERM', () => {
    server.close()
    server.closeAllConnections()
    agent.destroy()
  })
}
