/**
 * The memory scenario's client, a process of its own so that its sockets do
 * not count in the proxy's memory: `--port=<n> --path=/small
 * --connections=<n> --concurrency=<n> --expectedBytes=<n>`. Opens the
 * connections, `concurrency` at a time, sends one GET on each and keeps it
 * open once its response is read whole; prints a ready line when all are
 * done (see lib/idle-connections.ts), and a closed line if the proxy closes
 * one afterwards. Holds them until it is stopped (SIGTERM).
 */
import { connect, type Socket } from 'node:net'
import { parseArgs } from 'node:util'
import { closedLine, readResponse, readyLine } from '../lib/idle-connections.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    path: { type: 'string' },
    connections: { type: 'string' },
    concurrency: { type: 'string' },
    expectedBytes: { type: 'string' },
  },
})
const port = Number(values.port)
const connections = Number(values.connections)
const concurrency = Number(values.concurrency)
const expectedBytes = Number(values.expectedBytes)
if (![port, connections, concurrency, expectedBytes].every(Number.isInteger) || values.path === undefined) {
  throw new Error('reading idle-connections flags: usage: --port=<n> --path=<path> --connections=<n> --concurrency=<n> --expectedBytes=<n>')
}
const request = `GET ${values.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`
// A proxy that takes this long for one small response is broken, not slow.
const responseTimeoutMs = 30_000

const held = new Set<Socket>()
let readyAt: number | undefined

/** Opens one connection and resolves with what went wrong, or undefined once its response is read and it idles. */
function openOne(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let text = ''
    let done = false
    const settle = (problem: string | undefined): void => {
      if (done) return
      done = true
      socket.setTimeout(0)
      if (problem === undefined) held.add(socket)
      else socket.destroy()
      resolve(problem)
    }
    socket.setEncoding('latin1')
    socket.setTimeout(responseTimeoutMs, () => settle(`no response within ${responseTimeoutMs} ms`))
    socket.once('connect', () => socket.write(request))
    socket.on('data', (chunk: string) => {
      // Nothing was asked for after the response: a proxy that sends more is broken, and the connection no longer counts.
      if (done) return void socket.destroy()
      text += chunk
      try {
        const response = readResponse(text)
        if (response === undefined) return
        text = ''
        const ok = response.status === 200 && response.bodyBytes === expectedBytes
        settle(ok ? undefined : `status ${response.status} with ${response.bodyBytes} bytes`)
      } catch (err) {
        settle((err as Error).message)
      }
    })
    socket.once('error', (err) => settle(err.message))
    socket.once('close', () => {
      settle('closed before its response')
      if (!held.delete(socket) || readyAt === undefined) return
      process.stdout.write(closedLine(performance.now() - readyAt))
      readyAt = undefined
    })
  })
}

let next = 0
let failures = 0
let first: string | undefined
async function opener(): Promise<void> {
  while (next < connections) {
    next++
    const problem = await openOne()
    if (problem === undefined) continue
    failures++
    first ??= problem
  }
}
await Promise.all(Array.from({ length: concurrency }, opener))
readyAt = performance.now()
process.stdout.write(readyLine({ open: held.size, failures, ...(first !== undefined && { first }) }))
