/**
 * The yardstick: the least a Node proxy can do. One keep-alive agent to the
 * backend, headers passed as they are, bodies piped both ways. Junction's CPU
 * per request is compared with this one.
 */
import { Agent, createServer, request } from 'node:http'
import { peerOptions } from './peer-options.ts'

const { port, target } = peerOptions()
const agent = new Agent({ keepAlive: true })

const server = createServer((req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.pipe(res)
    },
  )
  upstream.once('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
})
// Junction's default idleTimeout (Traefik's respondingTimeouts.idleTimeout)
// instead of Node's 5 s, so that both keep idle connections as long: the
// memory scenario holds them open for seconds.
server.keepAliveTimeout = 180_000
server.listen(port, '127.0.0.1')
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  agent.destroy()
})
