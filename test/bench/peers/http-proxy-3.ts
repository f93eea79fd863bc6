/** Peer: plain `http-proxy-3` (its default pass pipeline) with a keep-alive agent. */
import { Agent, createServer } from 'node:http'
import { createProxyServer } from 'http-proxy-3'
import { peerOptions } from './peer-options.ts'

const { port, target } = peerOptions()
const agent = new Agent({ keepAlive: true })
const proxy = createProxyServer({ target: target.href, agent })
proxy.on('error', (_err, _req, res) => {
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
