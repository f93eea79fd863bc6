import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { parseClientHello, type ClientHello } from '../../../src/connection/client-hello.ts'
import { routeByFirstBytes } from '../../../src/connection/first-bytes.ts'
import { captureHello } from '../../support/client-hello.ts'

const servers: Server[] = []
const sockets: Socket[] = []
afterEach(async () => {
  // A connection a failed test left open would otherwise hold server.close until its timeout.
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

interface Routed {
  readonly to: string
  readonly hello?: ClientHello | undefined
  readonly bytes: string
}

/**
 * A server that routes every connection by its first bytes and records where
 * each went and what it then read: the first chunk for plain HTTP, and for
 * TLS everything up to the end of the ClientHello (or of what is known to be
 * no hello), so a hello put back in pieces would show.
 */
async function routing(timeoutMs: number, options: { allowHalfOpen?: boolean } = {}): Promise<{ port: number; routed: Routed[]; accepted: Socket[] }> {
  const routed: Routed[] = []
  const accepted: Socket[] = []
  const read = (socket: Socket, done: (all: Buffer) => Routed | undefined): void => {
    let all = Buffer.alloc(0)
    socket.resume()
    const onData = (chunk: Buffer): void => {
      all = Buffer.concat([all, chunk])
      const entry = done(all)
      if (entry === undefined) return
      socket.removeListener('data', onData)
      routed.push(entry)
      socket.end()
    }
    socket.on('data', onData)
  }
  const server = createServer(options, (socket) => {
    accepted.push(socket)
    sockets.push(socket)
    routeByFirstBytes(socket, timeoutMs, {
      tls: (tls, hello) =>
        read(tls, (all) => (parseClientHello(all).kind === 'need-more' ? undefined : { to: 'tls', hello, bytes: all.toString('latin1') })),
      plain: (plain) => read(plain, (all) => ({ to: 'plain', bytes: all.toString('latin1') })),
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, routed, accepted }
}

function send(port: number, bytes: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = connect(port, '127.0.0.1', () => client.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes))
    client.on('error', reject)
    client.on('close', () => resolve())
    client.resume()
  })
}


/** Resolves once `check` holds, looking again after each turn of the event loop. */
function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const look = (): void => (check() ? resolve() : void setImmediate(look))
    look()
  })
}

const aTest: ClientHello = { serverName: 'a.test', alpn: ['h2', 'http/1.1'] }

describe('routing a connection by its first bytes', () => {
  it.each([
    { desc: 'a handshake record that is no ClientHello goes to TLS without a hello', bytes: '\x16\x03\x01\x00\x05hello', to: 'tls', hello: undefined },
    { desc: 'a TLS first byte followed by garbage goes to TLS without a hello', bytes: '\x16garbage, not a record', to: 'tls', hello: undefined },
    { desc: 'an HTTP request line goes to plain HTTP', bytes: 'GET / HTTP/1.1\r\n\r\n', to: 'plain' },
    { desc: 'anything else goes to plain HTTP, which answers it', bytes: '\x00junk', to: 'plain' },
  ])('$desc, with the bytes read put back whole', async ({ bytes, to, hello }) => {
    const { port, routed } = await routing(5_000)
    await send(port, bytes)
    expect(routed).toEqual([to === 'tls' ? { to, hello, bytes } : { to, bytes }])
  })

  it('hands a real ClientHello to TLS with its server name and ALPN list, put back whole', async () => {
    const { port, routed } = await routing(5_000)
    await new Promise<void>((resolve) => {
      const client = connectTls({ host: '127.0.0.1', port, servername: 'a.test', ALPNProtocols: ['h2', 'http/1.1'] })
      // The route ends the connection once it has read the hello: the handshake fails, as it should here.
      client.on('error', () => undefined)
      client.on('close', () => resolve())
    })
    expect(routed.map(({ to, hello }) => ({ to, hello }))).toEqual([{ to: 'tls', hello: aTest }])
    const bytes = Buffer.from(routed[0]?.bytes ?? '', 'latin1')
    expect({ parsed: parseClientHello(bytes), length: bytes.length }).toEqual({ parsed: { kind: 'hello', hello: aTest }, length: 5 + bytes.readUInt16BE(3) })
  })

  it('puts back exactly the bytes a tls.connect client sent', async () => {
    const captured = await captureHello({ servername: 'a.test', ALPNProtocols: ['h2', 'http/1.1'] })
    const { port, routed } = await routing(5_000)
    await send(port, captured)
    expect(routed).toEqual([{ to: 'tls', hello: aTest, bytes: captured.toString('latin1') }])
  })

  it('waits for a ClientHello sent in three chunks and routes it once, whole', async () => {
    const captured = await captureHello({ servername: 'a.test', ALPNProtocols: ['h2', 'http/1.1'] })
    const cuts = [3, 700, captured.length]
    const { port, routed, accepted } = await routing(5_000)
    const client = connect({ port, host: '127.0.0.1', noDelay: true })
    client.resume()
    client.on('error', () => undefined)
    const closed = once(client, 'close')
    await once(client, 'connect')
    const seen: Routed[][] = []
    let sent = 0
    for (const cut of cuts) {
      client.write(captured.subarray(sent, cut))
      sent = cut
      // The server has read this chunk before the next is written, so each arrives as a chunk of its own.
      await until(() => (accepted[0]?.bytesRead ?? 0) >= cut)
      await new Promise((resolve) => setImmediate(resolve))
      seen.push([...routed])
    }
    await closed
    expect({ seen, routed }).toEqual({
      seen: [[], [], [{ to: 'tls', hello: aTest, bytes: captured.toString('latin1') }]],
      routed: [{ to: 'tls', hello: aTest, bytes: captured.toString('latin1') }],
    })
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

  it('closes a connection that sends half a ClientHello and then nothing, after the timeout', async () => {
    const captured = await captureHello({ servername: 'a.test' })
    const { port, routed, accepted } = await routing(150)
    await send(port, captured.subarray(0, captured.length / 2))
    expect({ destroyed: accepted[0]?.destroyed, routed }).toEqual({ destroyed: true, routed: [] })
  })

  it('closes a ClientHello dribbled byte by byte when the whole peek, not each chunk, outlasts the timeout', async () => {
    const captured = await captureHello({ servername: 'a.test' })
    const { port, routed } = await routing(200)
    let sent = 0
    await new Promise<void>((resolve) => {
      const client = connect({ port, host: '127.0.0.1', noDelay: true })
      // A byte every 20 ms keeps the connection from ever idling for 200 ms; at this pace the hello would take over 30 s.
      const drip = setInterval(() => {
        if (sent < captured.length) client.write(captured.subarray(sent, ++sent))
      }, 20)
      client.on('error', () => undefined)
      client.on('close', () => {
        clearInterval(drip)
        resolve()
      })
    })
    expect({ incomplete: sent < captured.length, routed }).toEqual({ incomplete: true, routed: [] })
  })

  // The timeout is far beyond the test's own: only the end of the stream can close this connection in time.
  it('destroys a connection that sends half a ClientHello and then ends, without routing it', { timeout: 5_000 }, async () => {
    const captured = await captureHello({ servername: 'a.test' })
    const { port, routed, accepted } = await routing(60_000, { allowHalfOpen: true })
    await new Promise<void>((resolve) => {
      const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => client.end(captured.subarray(0, captured.length / 2)))
      client.resume()
      client.on('error', () => undefined)
      client.on('close', () => resolve())
    })
    await until(() => accepted[0]?.destroyed === true)
    expect({ destroyed: accepted[0]?.destroyed, routed }).toEqual({ destroyed: true, routed: [] })
  })

  it('survives a client that resets before its first byte', async () => {
    const { port, routed, accepted } = await routing(5_000)
    await new Promise<void>((resolve) => {
      const client = connect(port, '127.0.0.1', () => {
        client.resetAndDestroy()
        resolve()
      })
    })
    await until(() => accepted[0]?.destroyed === true)
    await send(port, 'GET / HTTP/1.1\r\n\r\n')
    expect(routed).toEqual([{ to: 'plain', bytes: 'GET / HTTP/1.1\r\n\r\n' }])
  })
})
