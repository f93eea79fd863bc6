import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { routeByFirstBytes } from '../../../src/connection/first-bytes.ts'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

/** A server that routes every connection by its first bytes and records where each went and what it then read. */
async function routing(timeoutMs: number): Promise<{ port: number; routed: Array<{ to: string; bytes: string }>; accepted: Socket[] }> {
  const routed: Array<{ to: string; bytes: string }> = []
  const accepted: Socket[] = []
  const read = (to: string) => (socket: Socket) => {
    socket.resume()
    socket.once('data', (chunk: Buffer) => {
      routed.push({ to, bytes: chunk.toString('latin1') })
      socket.end()
    })
  }
  const server = createServer((socket) => {
    accepted.push(socket)
    routeByFirstBytes(socket, timeoutMs, { tls: read('tls'), plain: read('plain') })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as { port: number }).port, routed, accepted }
}

function send(port: number, bytes: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = connect(port, '127.0.0.1', () => client.write(Buffer.from(bytes, 'latin1')))
    client.on('error', reject)
    client.on('close', () => resolve())
    client.resume()
  })
}

describe('routing a connection by its first bytes', () => {
  it.each([
    { desc: 'a TLS handshake record goes to TLS', bytes: '\x16\x03\x01\x00\x05hello', to: 'tls' },
    { desc: 'an HTTP request line goes to plain HTTP', bytes: 'GET / HTTP/1.1\r\n\r\n', to: 'plain' },
    { desc: 'anything else goes to plain HTTP, which answers it', bytes: '\x00junk', to: 'plain' },
  ])('$desc, with the bytes read put back whole', async ({ bytes, to }) => {
    const { port, routed } = await routing(5_000)
    await send(port, bytes)
    expect(routed).toEqual([{ to, bytes }])
  })

  it('closes a connection that sends nothing within the timeout', async () => {
    const { port, routed } = await routing(100)
    const closed = await new Promise<boolean>((resolve) => {
      const client = connect(port, '127.0.0.1')
      client.on('close', () => resolve(true))
      client.on('error', () => undefined)
    })
    expect({ closed, routed }).toEqual({ closed: true, routed: [] })
  })

  it('survives a client that resets before its first byte', async () => {
    const { port, routed, accepted } = await routing(5_000)
    await new Promise<void>((resolve) => {
      const client = connect(port, '127.0.0.1', () => {
        client.resetAndDestroy()
        resolve()
      })
    })
    await new Promise<void>((resolve) => {
      const check = (): void => (accepted[0]?.destroyed ? resolve() : void setImmediate(check))
      check()
    })
    await send(port, 'GET / HTTP/1.1\r\n\r\n')
    expect(routed).toEqual([{ to: 'plain', bytes: 'GET / HTTP/1.1\r\n\r\n' }])
  })
})
