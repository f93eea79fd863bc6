/**
 * The streaming scenario's backend, `--port=<n>`: sinks uploads and serves
 * downloads generated on the fly, so that no body sits in its memory or on
 * disk. `POST /upload` answers `{"bytes": n}` once the body is read;
 * `GET /download/<n>` streams n bytes; any other GET answers `ok` (the
 * readiness probe).
 */
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import { generatedBody } from '../../support/upstream.ts'
import { transferRoute } from '../lib/transfer.ts'

const port = Number(parseArgs({ options: { port: { type: 'string' } } }).values.port)
if (!Number.isInteger(port) || port <= 0) throw new Error('reading transfer backend flags: usage: --port=<port>')

const server = createServer((req, res) => {
  const route = transferRoute(req.method ?? '', req.url ?? '/')
  if (route.kind === 'upload') {
    let bytes = 0
    req.on('data', (d: Buffer) => (bytes += d.length))
    req.once('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes })))
  } else if (route.kind === 'download') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': route.bytes })
    generatedBody(route.bytes).pipe(res)
  } else {
    req.resume()
    res.writeHead(route.kind === 'probe' ? 200 : 405, { 'content-type': 'text/plain' }).end(route.kind === 'probe' ? 'ok' : 'no')
  }
})
server.listen(port, '127.0.0.1')
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
})
