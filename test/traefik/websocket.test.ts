import { describe, expect, it } from 'vitest'
import { cleanupAfterEach, runFixture } from './support/run.ts'
import { dialWebSocket, startWebSocketBackend, type WebSocketBackend, type WebSocketClient } from './support/websocket.ts'

/**
 * Traefik's integration/websocket_test.go, the tests on a plain entry point
 * (TestSSLTermination, TestSSLhttp2, TestSSLh2c and
 * TestSettingEnableConnectProtocol need TLS entry points, which Junction
 * does not have yet). Each runs `junction` on fixtures/websocket/config.toml.
 */

const defer = cleanupAfterEach()

async function proxyTo(options: Parameters<typeof startWebSocketBackend>[0] = {}): Promise<{ backend: WebSocketBackend; port: number }> {
  const backend = await startWebSocketBackend(options)
  defer(() => backend.close())
  const run = await runFixture(defer, 'websocket/config.toml', { WebsocketServer: backend.url })
  const port = await run.port('web')
  await run.live()
  return { backend, port }
}

async function dial(...args: Parameters<typeof dialWebSocket>): Promise<WebSocketClient> {
  const client = await dialWebSocket(...args)
  defer(() => client.close())
  return client
}

/** Sends "OK" and returns the text of the frame that comes back. */
async function echo(client: WebSocketClient): Promise<{ opcode: number; text: string }> {
  client.sendText('OK')
  const frame = await client.next()
  return { opcode: frame.opcode, text: frame.payload.toString() }
}

describe('WebsocketSuite', () => {
  it('TestBase: a WebSocket is proxied and echoes a text message', async () => {
    const { port } = await proxyTo()
    const client = await dial(port, '/ws')
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
  })

  it('TestWrongOrigin: the server refuses an Origin that is not the Host, and the client gets its refusal', async () => {
    const { port } = await proxyTo()
    const client = await dial(port, '/ws', { Origin: 'ws://127.0.0.1:800' })
    expect(client.status).toBe(403)
  })

  it('TestOrigin: an Origin equal to the Host (kept by passHostHeader) is accepted', async () => {
    const { port } = await proxyTo()
    const client = await dial(port, '/ws', { Origin: `ws://127.0.0.1:${port}` })
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
  })

  it('TestWrongOriginIgnoredByServer: a server that accepts any Origin gets the upgrade', async () => {
    const { port } = await proxyTo({ anyOrigin: true })
    const client = await dial(port, '/ws', { Origin: 'ws://127.0.0.1:80' })
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
  })

  it('TestBasicAuth: the Authorization header reaches the server with the upgrade', async () => {
    const { backend, port } = await proxyTo()
    const client = await dial(port, '/ws', {
      Origin: `ws://127.0.0.1:${port}`,
      Authorization: `Basic ${Buffer.from('traefiker:secret').toString('base64')}`,
    })
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
    const authorization = String(backend.upgrades[0]?.headers.authorization)
    expect(Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()).toBe('traefiker:secret')
  })

  it('TestSpecificResponseFromBackend: a server that answers the upgrade 401 is answered 401 to the client', async () => {
    const { port } = await proxyTo({ status: 401 })
    const client = await dial(port, '/ws')
    expect(client.status).toBe(401)
  })

  it('TestURLWithURLEncodedChar: the server sees the encoded path as the client sent it', async () => {
    const { backend, port } = await proxyTo()
    const client = await dial(port, '/ws/http%3A%2F%2Ftest')
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
    expect(backend.upgrades.map((upgrade) => upgrade.url)).toEqual(['/ws/http%3A%2F%2Ftest'])
  })

  it('TestHeaderAreForwarded: a header of the upgrade request reaches the server', async () => {
    const { backend, port } = await proxyTo()
    const client = await dial(port, '/ws', { 'X-Token': 'my-token' })
    expect(client.status).toBe(101)
    expect(await echo(client)).toEqual({ opcode: 1, text: 'OK' })
    expect(backend.upgrades.map((upgrade) => upgrade.headers['x-token'])).toEqual(['my-token'])
  })
})
