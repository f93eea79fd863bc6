import { describe, expect, it } from 'vitest'
import { decodeLabels } from '../../../../src/config/labels/decode-labels.ts'
import { checkLabel } from '../../../../src/config/labels/label-checks.ts'
import { bool, obj, str } from '../../../../src/config/schema.ts'

const own = obj({ enable: bool(), docker: obj({ network: str(), allowNonRunning: bool() }) })
const decode = (labels: Record<string, string>) => decodeLabels(labels, { prefix: 'junction', own })

describe('decodeLabels', () => {
  it.each([
    {
      desc: 'dynamic sections and own keys apart; labels of others passed over',
      labels: {
        'junction.http.routers.web.rule': 'Host(`a.test`)',
        'junction.tcp.services.db.loadbalancer.server.port': '5432',
        'junction.udp.routers.dns.entrypoints': 'dns',
        'junction.tls.stores.default.defaultgeneratedcert.resolver': 'le',
        'junction.enable': 'false',
        'junction.docker.network': 'backend',
        'junction.docker.allownonrunning': 'true',
        'com.docker.compose.project': 'shop',
        'junctionx.http.routers.other.rule': 'Path(`/`)',
        junction: 'bare prefix',
      },
      expected: {
        config: {
          http: { routers: { web: { rule: 'Host(`a.test`)' } } },
          tcp: { services: { db: { loadBalancer: { servers: [{ port: '5432' }] } } } },
          udp: { routers: { dns: { entryPoints: ['dns'] } } },
          tls: { stores: { default: { defaultGeneratedCert: { resolver: 'le' } } } },
        },
        own: { enable: false, docker: { network: 'backend', allowNonRunning: true } },
        ownErrors: [],
        errors: [],
        ignored: [],
      },
    },
    {
      desc: 'the prefix and schema names case-insensitively, user names as written',
      labels: { 'JUNCTION.Http.ROUTERS.MyRouter.Rule': 'Path(`/`)', 'Junction.ENABLE': 'TRUE' },
      expected: { config: { http: { routers: { MyRouter: { rule: 'Path(`/`)' } } } }, own: { enable: true }, ownErrors: [], errors: [], ignored: [] },
    },
    {
      desc: 'labels nothing reads, reported as ignored',
      labels: {
        'junction.frontend.rule': 'Host:a',
        'junction.tls.options.modern.minversion': 'VersionTLS13',
        'junction.tls.stores.Default.defaultgeneratedcert.resolver': 'le',
      },
      expected: {
        config: {},
        own: {},
        ownErrors: [],
        errors: [],
        ignored: [
          'label junction.frontend.rule: unknown key "frontend" (labels configure http, tcp, udp, tls.stores.default, enable, docker); ignored',
          'label junction.tls.options.modern.minversion: labels configure only the default TLS store (tls.stores.default); ignored',
          'label junction.tls.stores.Default.defaultgeneratedcert.resolver: labels configure only the default TLS store (tls.stores.default); ignored',
        ],
      },
    },
    {
      desc: 'own keys that do not decode',
      labels: { 'junction.enable': 'maybe', 'junction.docker.netwrok': 'web' },
      expected: {
        config: {},
        own: {},
        ownErrors: ['label junction.docker.netwrok: unknown key "netwrok"', 'label junction.enable: expected a boolean, got "maybe"'],
        errors: [],
        ignored: [],
      },
    },
    {
      desc: 'dynamic labels that do not decode or fail a check, each named',
      labels: {
        'junction.http.routers.a.priority': 'high',
        'junction.http.routers.b@c.rule': 'Path(`/`)',
        'junction.http.routers.d.rule': 'Path(`/`',
        'junction.http.services.e.loadbalancer.server.port': 'http',
      },
      expected: {
        config: { http: { routers: { 'b@c': { rule: 'Path(`/`)' }, d: { rule: 'Path(`/`' } }, services: { e: { loadBalancer: { servers: [{ port: 'http' }] } } } } },
        own: {},
        ownErrors: [],
        errors: [
          'label junction.http.routers.a.priority: expected an integer, got "high"',
          'label junction.http.routers.b@c.rule: a name must not contain "@": Junction names every object itself as name@provider',
          'label junction.http.routers.d.rule: rule "Path(`/`": missing ")" at column 9: to close "(" at column 5',
          'label junction.http.services.e.loadbalancer.server.port: expected a port number (1-65535), got "http"',
        ],
        ignored: [],
      },
    },
  ])('$desc', ({ labels, expected }) => {
    expect(decode(labels)).toEqual(expected)
  })

  it('gives the same result whatever order the labels come in', () => {
    const entries: Array<[string, string]> = [
      ['junction.http.routers.a.rule', 'Path(`/lower`)'],
      ['junction.HTTP.routers.a.rule', 'Path(`/upper`)'],
      ['junction.http.services.s.loadbalancer.servers[1].url', 'http://b'],
      ['junction.http.services.s.loadbalancer.servers[0].url', 'http://a'],
    ]
    const forward = decode(Object.fromEntries(entries))
    const backward = decode(Object.fromEntries([...entries].reverse()))
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward))
    expect(forward.config).toEqual({
      http: { routers: { a: { rule: 'Path(`/lower`)' } }, services: { s: { loadBalancer: { servers: [{ url: 'http://a' }, { url: 'http://b' }] } } } },
    })
  })

  it('decodes 5,000 labels and a 1 MiB value', () => {
    const labels: Record<string, string> = { 'junction.http.middlewares.big.headers.customresponseheaders.X-Big': 'x'.repeat(1 << 20) }
    for (let i = 0; i < 5_000; i++) labels[`junction.http.routers.r${i}.rule`] = `Host(\`r${i}.test\`)`
    const decoded = decode(labels)
    expect([decoded.errors, Object.keys((decoded.config['http'] as { routers: object }).routers).length]).toEqual([[], 5_000])
  })
})

describe('checkLabel', () => {
  const routers = (ruleSyntax: string) => ({ http: { routers: { r: { ruleSyntax } } } })
  it.each([
    { desc: 'an @ in a router name', rest: 'http.routers.a@b.rule', value: 'Path(`/`)', expected: 'a name must not contain "@": Junction names every object itself as name@provider' },
    { desc: 'an @ in a tcp service name', rest: 'tcp.services.db@x.loadbalancer.server.port', value: '5432', expected: 'a name must not contain "@": Junction names every object itself as name@provider' },
    { desc: 'an @ in a middleware name', rest: 'http.middlewares.m@x.stripprefix.prefixes', value: '/a', expected: 'a name must not contain "@": Junction names every object itself as name@provider' },
    { desc: 'an @ in a servers transport name', rest: 'http.serverstransports.t@x.servername', value: 'a', expected: 'a name must not contain "@": Junction names every object itself as name@provider' },
    { desc: 'an @ in a reference', rest: 'http.routers.a.service', value: 'api@internal', expected: undefined },
    { desc: 'CR LF in a header value', rest: 'http.middlewares.h.headers.customrequestheaders.X-A', value: 'a\r\nX-B: b', expected: 'the value contains a line break (CR or LF), which could split a header or a request: refused' },
    { desc: 'a lone LF in a redirect replacement', rest: 'http.middlewares.r.redirectregex.replacement', value: '/a\n', expected: 'the value contains a line break (CR or LF), which could split a header or a request: refused' },
    { desc: 'a line break in a rule: white space', rest: 'http.routers.r.rule', value: 'Path(`/`)\r\n|| Path(`/b`)', expected: undefined },
    { desc: 'a line break in a tcp rule', rest: 'tcp.routers.r.rule', value: 'HostSNI(`*`)\n', expected: undefined },
    { desc: 'inline PEM in the default certificate', rest: 'tls.stores.default.defaultcertificate.certfile', value: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', expected: undefined },
    { desc: 'NUL even in a rule', rest: 'http.routers.r.rule', value: 'Path(`/`)\0', expected: 'the value contains NUL: refused' },
    { desc: 'an empty port: the default', rest: 'http.services.s.loadbalancer.server.port', value: '', expected: undefined },
    { desc: 'a port', rest: 'http.services.s.loadbalancer.server.port', value: '65535', expected: undefined },
    { desc: 'port 0', rest: 'udp.services.s.loadbalancer.server.port', value: '0', expected: 'expected a port number (1-65535), got "0"' },
    { desc: 'a port too large', rest: 'http.services.s.loadbalancer.server.port', value: '65536', expected: 'expected a port number (1-65535), got "65536"' },
    { desc: 'an indexed server port', rest: 'http.services.s.loadbalancer.servers.1.port', value: '-1', expected: 'expected a port number (1-65535), got "-1"' },
    { desc: 'a bracketed server port', rest: 'http.services.s.loadbalancer.servers[2].port', value: '8o', expected: 'expected a port number (1-65535), got "8o"' },
    { desc: 'a v3 rule', rest: 'http.routers.r.rule', value: 'Host(`a.test`) && Header(`X`, `y`)', expected: undefined },
    { desc: 'a v2 rule without a syntax: the static default may be v2', rest: 'http.routers.r.rule', value: 'Host(`a.test`, `b.test`)', expected: undefined },
    { desc: 'an empty rule: the default rule applies', rest: 'http.routers.r.rule', value: ' ', expected: undefined },
  ])('$desc', ({ rest, value, expected }) => {
    expect(checkLabel(rest, value, {})).toBe(expected)
  })

  it.each([
    { desc: 'a v2 rule in a v3 router', syntax: 'v3', rule: 'Host(`a.test`, `b.test`)', expected: 'rule "Host(`a.test`, `b.test`)": Host takes 1 argument, got 2 at column 1' },
    { desc: 'a v3 rule in a v2 router', syntax: 'v2', rule: 'Header(`X`, `y`)', expected: 'rule "Header(`X`, `y`)": unknown matcher "Header" at column 1' },
    { desc: 'a v2 rule in a v2 router', syntax: 'v2', rule: 'Headers(`X`, `y`)', expected: undefined },
  ])('$desc', ({ syntax, rule, expected }) => {
    expect(checkLabel('http.routers.r.rule', rule, routers(syntax))).toBe(expected)
  })
})
