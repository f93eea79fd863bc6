import { connect, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Listener, type ListenerOptions } from '../../../src/connection/listener.ts'
import type { ConnectionInfo } from '../../../src/core/context.ts'
import { JunctionError } from '../../../src/errors.ts'

const listeners: Listener[] = []
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close()
})

function listener(options: Partial<ListenerOptions>, handoff: (info: ConnectionInfo) => void = () => undefined): Listener {
  const created = new Listener(
    { name: 'web', host: '127.0.0.1', port: 0, reusePort: false, trusted: () => false, ...options },
    (socket, info) => {
      handoff(info)
      socket.destroy()
    },
  )
  listeners.push(created)
  return created
}

describe('the connection layer', () => {
  it('describes each connection once, before any protocol reads it: client address and port, local port, trust', async () => {
    const seen: ConnectionInfo[] = []
    const bound = await listener({ trusted: (ip) => ip === '127.0.0.1' }, (info) => seen.push(info)).listen()
    const client = connect(bound.port, '127.0.0.1')
    const clientPort = await new Promise<number>((resolve) => client.once('connect', () => resolve((client.address() as AddressInfo).port)))
    await new Promise<void>((resolve) => client.once('close', () => resolve()))
    expect(seen).toEqual([{ clientIp: '127.0.0.1', clientPort, localPort: bound.port, openedAt: expect.any(Number), secure: false, trusted: true }])
  })

  it('lets two listeners share an address with reusePort, and refuses the second without it', async () => {
    const first = await listener({ reusePort: true }).listen()
    await expect(listener({ reusePort: true, port: first.port }).listen()).resolves.toMatchObject({ port: first.port })
    const plain = await listener({}).listen()
    const refused = await listener({ port: plain.port }).listen().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(JunctionError)
    expect({ code: (refused as JunctionError).code, message: (refused as JunctionError).message }).toEqual({
      code: 'JCT_ERR_LISTEN',
      message: `entry point web: listening on 127.0.0.1:${plain.port}: listen EADDRINUSE: address already in use 127.0.0.1:${plain.port}`,
    })
  })
})
