import { describe, expect, it } from 'vitest'
import { parseHeadersOptions, type CorsOptions, type SecurityOptions } from '../../../middlewares/headers/options.ts'

const noSecurity: SecurityOptions = {
  allowedHosts: [],
  hostsProxyHeaders: [],
  sslProxyHeaders: [],
  stsSeconds: 0,
  stsIncludeSubdomains: false,
  stsPreload: false,
  forceSTSHeader: false,
  frameDeny: false,
  customFrameOptionsValue: '',
  contentTypeNosniff: false,
  browserXssFilter: false,
  customBrowserXSSValue: '',
  contentSecurityPolicy: '',
  contentSecurityPolicyReportOnly: '',
  publicKey: '',
  referrerPolicy: '',
  permissionsPolicy: '',
  isDevelopment: false,
}

const noCors: CorsOptions = {
  allowCredentials: false,
  allowHeaders: [],
  allowMethods: [],
  allowOriginList: [],
  allowOriginListRegex: [],
  exposeHeaders: [],
  maxAge: undefined,
  addVaryHeader: false,
}

describe('headers options', () => {
  it.each([
    {
      desc: 'custom headers only: names lower-cased, values kept, no CORS or security part',
      input: { customRequestHeaders: { 'X-Script-Name': 'test', 'X-Gone': '' }, customResponseHeaders: { 'X-Served-By': 'junction' } },
      expected: { request: [['x-script-name', 'test'], ['x-gone', '']], response: [['x-served-by', 'junction']], cors: undefined, security: undefined },
    },
    {
      desc: 'numbers and booleans in a header map are their text (a YAML `X-Count: 1`)',
      input: { customResponseHeaders: { 'X-Count': 1, 'X-Flag': true } },
      expected: { request: [], response: [['x-count', '1'], ['x-flag', 'true']], cors: undefined, security: undefined },
    },
    {
      desc: 'one CORS option makes a CORS part with the defaults',
      input: { addVaryHeader: true },
      expected: { request: [], response: [], cors: { ...noCors, addVaryHeader: true }, security: undefined },
    },
    {
      desc: 'the CORS lists and max age',
      input: { accessControlAllowMethods: ['GET', 'PUT'], accessControlAllowHeaders: ['*'], accessControlAllowOriginList: ['https://a.test', '*'], accessControlExposeHeaders: ['X-A'], accessControlMaxAge: 100, accessControlAllowCredentials: true },
      expected: {
        request: [],
        response: [],
        cors: { ...noCors, allowMethods: ['GET', 'PUT'], allowHeaders: ['*'], allowOriginList: ['https://a.test', '*'], exposeHeaders: ['X-A'], maxAge: 100, allowCredentials: true },
        security: undefined,
      },
    },
    {
      desc: 'stsSeconds 0 still counts as a security option (Traefik accepts it and sends no STS)',
      input: { stsSeconds: 0 },
      expected: { request: [], response: [], cors: undefined, security: noSecurity },
    },
    {
      desc: 'the security options, proxy header names lower-cased',
      input: {
        allowedHosts: ['a.test'],
        hostsProxyHeaders: ['X-Forwarded-Host'],
        sslProxyHeaders: { 'X-Forwarded-Proto': 'https' },
        stsSeconds: 31536000,
        stsIncludeSubdomains: true,
        stsPreload: true,
        forceSTSHeader: true,
        frameDeny: true,
        customFrameOptionsValue: 'SAMEORIGIN',
        contentTypeNosniff: true,
        browserXssFilter: true,
        customBrowserXSSValue: '0',
        contentSecurityPolicy: "default-src 'self'",
        contentSecurityPolicyReportOnly: "script-src 'self'",
        publicKey: 'pin-sha256="base64+primary=="; max-age=5184000',
        referrerPolicy: 'same-origin',
        permissionsPolicy: 'camera=()',
        isDevelopment: true,
      },
      expected: {
        request: [],
        response: [],
        cors: undefined,
        security: {
          allowedHosts: ['a.test'],
          hostsProxyHeaders: ['x-forwarded-host'],
          sslProxyHeaders: [['x-forwarded-proto', 'https']],
          stsSeconds: 31536000,
          stsIncludeSubdomains: true,
          stsPreload: true,
          forceSTSHeader: true,
          frameDeny: true,
          customFrameOptionsValue: 'SAMEORIGIN',
          contentTypeNosniff: true,
          browserXssFilter: true,
          customBrowserXSSValue: '0',
          contentSecurityPolicy: "default-src 'self'",
          contentSecurityPolicyReportOnly: "script-src 'self'",
          publicKey: 'pin-sha256="base64+primary=="; max-age=5184000',
          referrerPolicy: 'same-origin',
          permissionsPolicy: 'camera=()',
          isDevelopment: true,
        },
      },
    },
    {
      desc: 'a removed option set to its default is accepted (it asks for nothing)',
      input: { frameDeny: true, sslRedirect: false, sslHost: '', featurePolicy: '' },
      expected: { request: [], response: [], cors: undefined, security: { ...noSecurity, frameDeny: true } },
    },
  ])('reads $desc', ({ input, expected }) => {
    expect(parseHeadersOptions(input, 'm@file')).toEqual(expected)
  })

  it('compiles origin regexps for the linear engine, with Go semantics (unanchored)', () => {
    const parsed = parseHeadersOptions({ accessControlAllowOriginListRegex: ['^https://[a-z]+\\.a\\.test$', 'b\\.test'] }, 'm@file')
    const [strict, loose] = parsed.cors?.allowOriginListRegex ?? []
    expect([strict?.test('https://x.a.test'), strict?.test('https://x.a.test.evil'), loose?.test('https://b.test.evil')]).toEqual([true, false, true])
  })

  it.each([
    { desc: 'no option at all', input: {}, message: 'no header option is set (custom headers, CORS or security headers): the middleware would do nothing' },
    { desc: 'only options that set nothing', input: { frameDeny: false, customRequestHeaders: {}, accessControlAllowOriginList: [] }, message: 'no header option is set (custom headers, CORS or security headers): the middleware would do nothing' },
    { desc: 'an unknown option', input: { frameDenied: true }, message: 'unknown option "frameDenied"' },
    { desc: 'sslRedirect', input: { sslRedirect: true }, message: 'option "sslRedirect" was removed in Traefik v3, which ignores it: use a redirectScheme middleware or the entry point redirections' },
    { desc: 'sslTemporaryRedirect', input: { sslTemporaryRedirect: true }, message: 'option "sslTemporaryRedirect" was removed in Traefik v3, which ignores it: use a redirectScheme middleware (permanent: false)' },
    { desc: 'sslHost', input: { sslHost: 'a.test' }, message: 'option "sslHost" was removed in Traefik v3, which ignores it: use a redirectRegex middleware' },
    { desc: 'sslForceHost', input: { sslForceHost: true }, message: 'option "sslForceHost" was removed in Traefik v3, which ignores it: use a redirectRegex middleware' },
    { desc: 'featurePolicy', input: { featurePolicy: 'camera none' }, message: 'option "featurePolicy" was removed in Traefik v3, which ignores it: use permissionsPolicy' },
    {
      desc: 'every removed option at once',
      input: { featurePolicy: 'camera none', sslRedirect: true },
      message: 'option "featurePolicy" was removed in Traefik v3, which ignores it: use permissionsPolicy; option "sslRedirect" was removed in Traefik v3, which ignores it: use a redirectScheme middleware or the entry point redirections',
    },
    { desc: 'a header name with a space', input: { customRequestHeaders: { 'X Bad': '1' } }, message: 'customRequestHeaders: invalid header name "X Bad"' },
    { desc: 'a value with a line break', input: { customResponseHeaders: { 'X-A': 'a\r\nSet-Cookie: x' } }, message: 'customResponseHeaders.X-A: value must be a string without line breaks or control characters' },
    { desc: 'a value with a control character', input: { contentSecurityPolicy: "default-src 'self'\u0007" }, message: 'contentSecurityPolicy: value must be a string without line breaks or control characters' },
    { desc: 'a header map that is not a map', input: { customRequestHeaders: 'nope' }, message: 'customRequestHeaders must be a map of header names to values' },
    { desc: 'a header value that is not text', input: { customRequestHeaders: { 'X-A': { b: 1 } } }, message: 'customRequestHeaders.X-A: value must be a string' },
    { desc: 'two spellings of one header', input: { customResponseHeaders: { 'X-A': '1', 'x-a': '2' } }, message: 'customResponseHeaders: "X-A" and "x-a" name the same header' },
    { desc: 'a request Content-Length', input: { customRequestHeaders: { 'Content-Length': '0' } }, message: "customRequestHeaders: content-length cannot be set: the request's framing is Junction's to write" },
    { desc: 'a response Transfer-Encoding', input: { customResponseHeaders: { 'Transfer-Encoding': 'chunked' } }, message: "customResponseHeaders: transfer-encoding cannot be set: the response's framing is Junction's to write" },
    { desc: 'removing the Host', input: { customRequestHeaders: { Host: '' } }, message: 'customRequestHeaders: Host cannot be removed (an empty value)' },
    { desc: 'a malformed origin regexp', input: { accessControlAllowOriginListRegex: ['a(b'] }, message: 'accessControlAllowOriginListRegex[0]: error parsing regexp: missing closing ): `a(b`' },
    { desc: 'a lookahead in an origin regexp', input: { accessControlAllowOriginListRegex: ['ok', '^https://(?!evil)'] }, message: "accessControlAllowOriginListRegex[1]: lookahead `(?!` is not supported by Go's regexp" },
    { desc: 'an empty sslProxyHeaders value', input: { sslProxyHeaders: { 'X-Forwarded-Ssl': '' } }, message: 'sslProxyHeaders.x-forwarded-ssl: an empty value would mark every request without the header as HTTPS' },
    { desc: 'a negative stsSeconds', input: { stsSeconds: -1 }, message: 'stsSeconds must be a whole number of seconds, 0 or more' },
    { desc: 'a fractional accessControlMaxAge', input: { accessControlMaxAge: 1.5 }, message: 'accessControlMaxAge must be a whole number of seconds' },
    { desc: 'a flag that is not a boolean', input: { frameDeny: 'yes' }, message: 'frameDeny must be a boolean' },
    { desc: 'a list that is not of strings', input: { allowedHosts: [1] }, message: 'allowedHosts must be a list of strings' },
    { desc: 'an invalid proxy header name', input: { hostsProxyHeaders: ['X Host'] }, message: 'hostsProxyHeaders: invalid header name "X Host"' },
    { desc: 'an origin with a line break', input: { accessControlAllowOriginList: ['https://a.test\n'] }, message: 'accessControlAllowOriginList: value must be a string without line breaks or control characters' },
  ])('refuses $desc, naming the middleware and the option', ({ input, message }) => {
    expect(() => parseHeadersOptions(input, 'm@file')).toThrow(expect.objectContaining({ code: 'JCT_ERR_DYNAMIC_CONFIG', message: `middleware m@file: headers: ${message}` }))
  })
})
