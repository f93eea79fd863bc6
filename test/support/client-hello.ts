import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { connect, type ConnectionOptions } from 'node:tls'

/**
 * The bytes a real `tls.connect` sends before the server answers: its
 * ClientHello, recorded by a plain TCP server until its first record is
 * whole (Node sends it as one record; the ClientHello tests check that
 * rather than assume it).
 */
export async function captureHello(options: ConnectionOptions): Promise<Buffer> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const received = new Promise<Buffer>((resolve) => {
    server.once('connection', (socket) => {
      let all = Buffer.alloc(0)
      socket.on('error', () => undefined)
      socket.on('data', (chunk: Buffer) => {
        all = Buffer.concat([all, chunk])
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) resolve(all)
      })
    })
  })
  const client = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ...options })
  client.on('error', () => undefined)
  const captured = await received
  client.destroy()
  await new Promise((resolve) => server.close(resolve))
  return captured
}
