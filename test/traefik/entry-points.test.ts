import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { startJunctionCommand, type CommandJunction } from '../support/junction-command.ts'
import { rawRequest } from '../support/raw-http.ts'
import { startUnacceptingServer, type UnacceptingServer } from '../support/unaccepting-server.ts'

/**
 * Traefik's own integration tests for entry points and forwarded headers
 * (integration/simple_test.go, timeout_test.go, headers_test.go), run
 * against the real `junction` command. Their fixtures (integration/fixtures)
 * are rendered here with our values: every address on 127.0.0.1, port 0.
 *
 * Traefik's fixtures keep the static and the dynamic configuration in one
 * file (`filename = "{{ .SelfFilename }}"`); Junction does not read that form
 * yet, so each one is split into a static file and a dynamic file, the
 * content otherwise as Traefik has it.
 */

let junction: CommandJunction | undefined
let servers: Server[] = []
let silent: UnacceptingServer | undefined

afterEach(async () => {
  await junction?.stop()
  junction = undefined
  await silent?.close()
  silent = undefined
  for (const server of servers) {
    server.closeAllConnections()
    server.close()
  }
  servers = []
})

/** A server on 127.0.0.1:0 (a Go `httptest.Server` in Traefik's tests). */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, maxHeaderSize?: number): Promise<string> {
  const server = createServer(maxHeaderSize === undefined ? {} : { maxHeaderSize }, handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A server that answers with the headers it received, as JSON. */
function headersEcho(received: IncomingHttpHeaders[]): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    received.push(req.headers)
    res.end(JSON.stringify(req.headers))
  }
}

async function start(staticToml: string, dynamicToml: string): Promise<CommandJunction> {
  junction = await startJunctionCommand({ static: { name: 'traefik.toml', text: staticToml }, dynamic: { name: 'dynamic.toml', text: dynamicToml } })
  return junction
}

function get(port: number, options: { path?: string; host?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, ...(options.host !== undefined && { host: options.host }) }
    request({ host: '127.0.0.1', port, path: options.path ?? '/', headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

describe('integration/simple_test.go', () => {
  it('TestEncodeSemicolons: semicolons become & by default and %3B with encodeQuerySemicolons', async () => {
    const urls: string[] = []
    const server1 = await serve((req, res) => {
      urls.push(req.url ?? '')
      res.end(req.url)
    })
    // fixtures/simple_encode_semicolons.toml, static part.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
  [entryPoints.encodeSemicolons]
    address = "127.0.0.1:0"
    [entryPoints.encodeSemicolons.http]
      encodeQuerySemicolons = true

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/simple_encode_semicolons.toml, dynamic part.
    const dynamicToml = `
[http.routers]
  [http.routers.router]
    service = "service1"
    rule = "Host(\`other.localhost\`)"

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "${server1}"
`
    const running = await start(staticToml, dynamicToml)
    const cases = [
      { desc: 'Transforming semicolons', request: 'GET /?bar=toto;boo=titi HTTP/1.1\r\nHost: other.localhost\r\n\r\n', entryPoint: 'web', body: '/?bar=toto&boo=titi' },
      { desc: 'Encoding semicolons', request: 'GET /?bar=toto&boo=titi;aaaa HTTP/1.1\r\nHost: other.localhost\r\n\r\n', entryPoint: 'encodeSemicolons', body: '/?bar=toto&boo=titi%3Baaaa' },
    ]
    const results = []
    for (const test of cases) {
      const response = await rawRequest(await running.port(test.entryPoint), test.request)
      results.push({ desc: test.desc, status: response.status, body: response.body })
    }
    expect(results).toEqual(cases.map((test) => ({ desc: test.desc, status: 200, body: test.body })))
  })

  it('TestAllowACMEByPassRedirect: ACME challenges reach their router, other paths are redirected', async () => {
    const acmeSolver = await serve((_req, res) => {
      res.writeHead(200)
      res.end('acme-challenge-token')
    })
    // fixtures/simple_acme_bypass_redirect.toml, static part. The redirection's
    // target (":8443") is only written into Location headers, never bound.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"
  noColor = true

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
    allowACMEByPass = true
    [entryPoints.web.http.redirections.entryPoint]
      to = ":8443"
      scheme = "https"

  [entryPoints.websecure]
    address = "127.0.0.1:0"

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/simple_acme_bypass_redirect.toml, dynamic part.
    const dynamicToml = `
[http.routers]
  [http.routers.acme-challenge]
    entryPoints = ["web"]
    rule = "PathPrefix(\`/.well-known/acme-challenge/\`)"
    service = "acme-solver"

[http.services]
  [http.services.acme-solver]
    [http.services.acme-solver.loadBalancer]
      [[http.services.acme-solver.loadBalancer.servers]]
        url = "${acmeSolver}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const challenge = await get(port, { path: '/.well-known/acme-challenge/test-token' })
    const other = await rawRequest(port, `GET /other-path HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
    expect({ challenge, other: { status: other.status, location: other.headers['location'] } }).toEqual({
      challenge: { status: 200, body: 'acme-challenge-token' },
      other: { status: 301, location: 'https://127.0.0.1:8443/other-path' },
    })
  })

  it('TestMaxHeaderBytes: with maxHeaderBytes 1310720, a 1.25MB header passes and a 1.5MB one is answered 431', async () => {
    // The test server accepts what a Go server with MaxHeaderBytes 1.25 MB does (Go reads 4 KiB more).
    const testServer = await serve((_req, res) => res.end(), 1310720 + 4096 + 1)
    // fixtures/simple_max_header_size.toml, static part.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
  [entryPoints.web.http]
    maxHeaderBytes = 1310720

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/simple_max_header_size.toml, dynamic part.
    const dynamicToml = `
[http.routers]
  [http.routers.test-router]
    entryPoints = ["web"]
    service = "test-service"
    rule = "Host(\`127.0.0.1\`)"

[http.services]
  [http.services.test-service]
    [[http.services.test-service.loadBalancer.servers]]
      url = "${testServer}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const testCases = [
      { name: '1.25MB header', headerSize: 1.25 * 1024 * 1024, expectedStatus: 200 },
      { name: '1.5MB header', headerSize: 1.5 * 1024 * 1024, expectedStatus: 431 },
      { name: '500KB header', headerSize: 500 * 1024, expectedStatus: 200 },
    ]
    const results = []
    for (const test of testCases) {
      // The request Go's client sends, written out: a 431 closes the connection before the
      // whole head is read, and a raw client reads the answer whatever happens to its writes.
      const response = await rawRequest(
        port,
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: Go-http-client/1.1\r\nX-Large-Header: ${'A'.repeat(test.headerSize)}\r\nAccept-Encoding: gzip\r\n\r\n`,
      )
      results.push({ name: test.name, status: response.status })
    }
    expect(results).toEqual(testCases.map((test) => ({ name: test.name, status: test.expectedStatus })))
  })

  /** integration/resources/compose/x_forwarded_for.toml, rendered. */
  const xForwardedForDynamic = (server: string): string => `
[http.routers]
  [http.routers.router1]
    entryPoints = ["web"]
    rule = "PathPrefix(\`/\`)"
    service = "service1"

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "${server}"
`

  /** Echoes back the X-Forwarded-For header. */
  const xffEcho = (req: IncomingMessage, res: ServerResponse): void => {
    res.end(req.headers['x-forwarded-for'] ?? '')
  }

  it('TestXForwardedForDisabled: notAppendXForwardedFor sends X-Forwarded-For unchanged', async () => {
    const srv1 = await serve(xffEcho)
    // fixtures/x_forwarded_for.toml (already a static file pointing at a separate dynamic one).
    const staticToml = `
[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
    [entryPoints.web.forwardedHeaders]
      insecure = true
      notAppendXForwardedFor = true

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"`
    const port = await (await start(staticToml, xForwardedForDynamic(srv1))).port('web')
    expect(await get(port, { headers: { 'X-Forwarded-For': '1.2.3.4' } })).toEqual({ status: 200, body: '1.2.3.4' })
  })

  it('TestXForwardedForEnabled: the client address is appended to X-Forwarded-For by default', async () => {
    const srv1 = await serve(xffEcho)
    // fixtures/x_forwarded_for_enabled.toml.
    const staticToml = `
[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
    [entryPoints.web.forwardedHeaders]
      insecure = true

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"`
    const port = await (await start(staticToml, xForwardedForDynamic(srv1))).port('web')
    // Traefik checks that the body contains "1.2.3.4," and "127.0.0.1"; this is the exact value.
    expect(await get(port, { headers: { 'X-Forwarded-For': '1.2.3.4' } })).toEqual({ status: 200, body: '1.2.3.4, 127.0.0.1' })
  })

  it('TestXForwardedHeaders: every forwarded header reaches the server from an insecure entry point', async () => {
    const received: IncomingHttpHeaders[] = []
    const whoami = await serve(headersEcho(received))
    // fixtures/simple_allowlist.toml. Traefik's test takes its router from Docker
    // labels (resources/compose/allowlist.yml, router rt3) with an ipAllowList
    // middleware (sourceRange 8.8.8.8, ipStrategy.depth 3). Junction has no Docker
    // provider or ipAllowList middleware yet: the router is declared in a file,
    // without the middleware, and only the forwarded headers are checked.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
    [entryPoints.web.ForwardedHeaders]
      insecure = true

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    const dynamicToml = `
[http.routers.rt3]
  rule = "Host(\`override.depth.allowlist.docker.local\`)"
  service = "overrideIPStrategyDepthAllowlist"

[http.services.overrideIPStrategyDepthAllowlist.loadBalancer]
  [[http.services.overrideIPStrategyDepthAllowlist.loadBalancer.servers]]
    url = "${whoami}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const response = await get(port, { host: 'override.depth.allowlist.docker.local', headers: { 'X-Forwarded-For': '8.8.8.8,10.0.0.1,127.0.0.1' } })
    const seen = received[0] ?? {}
    expect({
      status: response.status,
      proto: seen['x-forwarded-proto'],
      for: seen['x-forwarded-for'],
      host: seen['x-forwarded-host'],
      port: seen['x-forwarded-port'],
      server: seen['x-forwarded-server'],
      realIp: seen['x-real-ip'],
    }).toEqual({
      status: 200,
      proto: 'http',
      for: '8.8.8.8,10.0.0.1,127.0.0.1, 127.0.0.1',
      host: 'override.depth.allowlist.docker.local',
      port: '80',
      server: hostname(),
      realIp: '127.0.0.1',
    })
  })
})

describe('integration/timeout_test.go', () => {
  it('TestForwardingTimeouts: a dial timeout and a response header timeout are both 504', async () => {
    // Traefik dials 50.255.255.1, an address that never answers; nothing here leaves
    // 127.0.0.1, so the dial goes to a loopback listener whose accept queue is full.
    silent = await startUnacceptingServer()
    // Traefik's timeoutEndpoint sleeps 1 s (?sleep=1000) against a 300 ms timeout;
    // this one never answers /responseHeaderTimeout at all (its test ends first).
    const timeoutEndpoint = await serve((req, res) => {
      if (!req.url?.startsWith('/responseHeaderTimeout')) res.end()
    })
    // fixtures/timeout/forwarding_timeouts.toml, static part.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"
  noColor = true

[serversTransport.forwardingTimeouts]
  dialTimeout = "300ms"
  responseHeaderTimeout = "300ms"

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"

[accessLog]
  format = "json"

[api]
  insecure = true

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/timeout/forwarding_timeouts.toml, dynamic part.
    const dynamicToml = `
[http.routers]
  [http.routers.router1]
    service = "service1"
    rule = "Path(\`/dialTimeout\`)"

  [http.routers.router2]
    service = "service2"
    rule = "Path(\`/responseHeaderTimeout\`)"

[http.services]
  [http.services.service1]
    [http.services.service1.loadBalancer]
      [[http.services.service1.loadBalancer.servers]]
        url = "${silent.url}"

  [http.services.service2]
    [http.services.service2.loadBalancer]
      [[http.services.service2.loadBalancer.servers]]
        url = "${timeoutEndpoint}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const dial = await get(port, { path: '/dialTimeout' })
    const header = await get(port, { path: '/responseHeaderTimeout?sleep=1000' })
    expect([dial.status, header.status]).toEqual([504, 504])
  })
})

describe('integration/headers_test.go', () => {
  it('TestReverseProxyHeaderRemoved: a headers middleware removes X-Forwarded-For and Foo for good', async () => {
    const received: IncomingHttpHeaders[] = []
    const server = await serve(headersEcho(received))
    // fixtures/headers/remove_reverseproxy_headers.toml, static part.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/headers/remove_reverseproxy_headers.toml, dynamic part (the server is ours, not 127.0.0.1:9000).
    const dynamicToml = `
[http.routers]
  [http.routers.router1]
    rule = "Host(\`test.localhost\`)"
    middlewares = ["remove"]
    service = "service1"

[http.middlewares]
  [http.middlewares.remove.headers.customRequestHeaders]
    X-Forwarded-For = ""
    Foo = ""

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "${server}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const response = await get(port, { host: 'test.localhost', headers: { Foo: 'bar' } })
    const seen = received[0] ?? {}
    expect({ status: response.status, forwardedHost: 'x-forwarded-host' in seen, foo: 'foo' in seen, forwardedFor: 'x-forwarded-for' in seen }).toEqual({
      status: 200,
      forwardedHost: true,
      foo: false,
      forwardedFor: false,
    })
  })

  it('TestConnectionHopByHop: Connection removes the headers it lists, never X-Forwarded-*', async () => {
    const received: IncomingHttpHeaders[] = []
    const server = await serve(headersEcho(received))
    // fixtures/headers/connection_hop_by_hop_headers.toml, static part. Traefik's test
    // also reads its access log (Foo kept there thanks to forwardedHeaders.connection);
    // Junction has no access log yet and warns that both options are not honoured,
    // so only what the server receives is checked.
    const staticToml = `
[global]
  checkNewVersion = false
  sendAnonymousUsage = false

[log]
  level = "DEBUG"

# Limiting the Logs to Specific Fields
[accessLog]
  format = "json"
  filePath = "access.log"

  [accessLog.fields.headers.names]
    "Foo" = "keep"
    "Bar" = "keep"

[entryPoints]
  [entryPoints.web]
    address = "127.0.0.1:0"
  [entryPoints.web.forwardedHeaders]
    insecure = true
    connection = ["Foo"]

[providers.file]
  filename = "{{ .DynamicConfPath }}"
`
    // fixtures/headers/connection_hop_by_hop_headers.toml, dynamic part.
    const dynamicToml = `
[http.routers]
  [http.routers.router1]
    rule = "Host(\`test.localhost\`)"
    service = "service1"

[http.services]
  [http.services.service1.loadBalancer]
    [[http.services.service1.loadBalancer.servers]]
      url = "${server}"
`
    const port = await (await start(staticToml, dynamicToml)).port('web')
    const response = await get(port, {
      host: 'test.localhost',
      headers: { Connection: 'Foo,Bar,X-Forwarded-For,X-Forwarded-Host', Foo: 'bar', Bar: 'foo', 'X-Forwarded-Host': 'localhost' },
    })
    const seen = received[0] ?? {}
    expect({ status: response.status, forwardedFor: 'x-forwarded-for' in seen, forwardedHost: seen['x-forwarded-host'], foo: 'foo' in seen, bar: 'bar' in seen }).toEqual({
      status: 200,
      forwardedFor: true,
      forwardedHost: 'localhost',
      foo: false,
      bar: false,
    })
  })
})
