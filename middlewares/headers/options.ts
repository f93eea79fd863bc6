import { JunctionError, type LinearRegexp } from '../../src/plugin.ts'
import { Reader } from './reader.ts'

/** Header changes in configuration order: lower-case name, value ('' removes the header). */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>

/** The CORS options, validated; `allowOriginListRegex` compiled for the linear engine. */
export interface CorsOptions {
  readonly allowCredentials: boolean
  readonly allowHeaders: readonly string[]
  readonly allowMethods: readonly string[]
  readonly allowOriginList: readonly string[]
  readonly allowOriginListRegex: readonly LinearRegexp[]
  readonly exposeHeaders: readonly string[]
  readonly maxAge: number | undefined
  readonly addVaryHeader: boolean
}

/** unrolled/secure's options as Traefik passes them, validated, defaults filled in. */
export interface SecurityOptions {
  readonly allowedHosts: readonly string[]
  /** Lower-case header names, in order: the first non-empty one names the request's host. */
  readonly hostsProxyHeaders: readonly string[]
  /** Lower-case header name and the value that marks a request as HTTPS. */
  readonly sslProxyHeaders: HeaderList
  readonly stsSeconds: number
  readonly stsIncludeSubdomains: boolean
  readonly stsPreload: boolean
  readonly forceSTSHeader: boolean
  readonly frameDeny: boolean
  readonly customFrameOptionsValue: string
  readonly contentTypeNosniff: boolean
  readonly browserXssFilter: boolean
  readonly customBrowserXSSValue: string
  readonly contentSecurityPolicy: string
  readonly contentSecurityPolicyReportOnly: string
  readonly publicKey: string
  readonly referrerPolicy: string
  readonly permissionsPolicy: string
  readonly isDevelopment: boolean
}

export interface HeadersOptions {
  /** Set on the request before it reaches the server; an empty value removes the header. */
  readonly request: HeaderList
  /** Set on the response before it reaches the client; an empty value removes the header. */
  readonly response: HeaderList
  /** Present when any CORS option is set (Traefik's `HasCorsHeadersDefined`): preflights are then answered here. */
  readonly cors: CorsOptions | undefined
  /** Present when any security option is set (Traefik's `HasSecureHeadersDefined`). */
  readonly security: SecurityOptions | undefined
}

const customKeys = ['customRequestHeaders', 'customResponseHeaders'] as const
const corsKeys = [
  'accessControlAllowCredentials',
  'accessControlAllowHeaders',
  'accessControlAllowMethods',
  'accessControlAllowOriginList',
  'accessControlAllowOriginListRegex',
  'accessControlExposeHeaders',
  'accessControlMaxAge',
  'addVaryHeader',
] as const
const securityKeys = [
  'allowedHosts',
  'hostsProxyHeaders',
  'sslProxyHeaders',
  'stsSeconds',
  'stsIncludeSubdomains',
  'stsPreload',
  'forceSTSHeader',
  'frameDeny',
  'customFrameOptionsValue',
  'contentTypeNosniff',
  'browserXssFilter',
  'customBrowserXSSValue',
  'contentSecurityPolicy',
  'contentSecurityPolicyReportOnly',
  'publicKey',
  'referrerPolicy',
  'permissionsPolicy',
  'isDevelopment',
] as const

/**
 * Options Traefik v3 still decodes but no longer honours (its v2-to-v3
 * migration guide lists them as removed): a file written for v2 would lose
 * its HTTPS redirect without a word. Junction refuses them, unless set to
 * their default, and says what replaces each.
 */
const removed: Readonly<Record<string, string>> = {
  sslRedirect: 'use a redirectScheme middleware or the entry point redirections',
  sslTemporaryRedirect: 'use a redirectScheme middleware (permanent: false)',
  sslHost: 'use a redirectRegex middleware',
  sslForceHost: 'use a redirectRegex middleware',
  featurePolicy: 'use permissionsPolicy',
}

const known = new Set<string>([...customKeys, ...corsKeys, ...securityKeys, ...Object.keys(removed)])

/**
 * Message framing is Junction's to write: Traefik's Go client and server
 * ignore or recompute these, and a configured value here would let the
 * declared length disagree with the body sent.
 */
const framing = new Set(['content-length', 'transfer-encoding'])

/**
 * Validates `headers` options when the generation is built, so no request
 * ever meets a bad one: header names and values Node would refuse, origin
 * regexps that do not compile, removed options, and a middleware that sets
 * nothing (Traefik's "headers configuration not valid").
 *
 * @throws JunctionError `JCT_ERR_DYNAMIC_CONFIG` naming the middleware and the option.
 */
export function parseHeadersOptions(options: Record<string, unknown>, name: string): HeadersOptions {
  const fail = (message: string): JunctionError => new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: headers: ${message}`)
  const refused: string[] = []
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw fail(`unknown option "${key}"`)
    const replacement = removed[key]
    const value = options[key]
    if (replacement !== undefined && value !== undefined && value !== null && value !== false && value !== '') {
      refused.push(`option "${key}" was removed in Traefik v3, which ignores it: ${replacement}`)
    }
  }
  if (refused.length > 0) throw fail(refused.join('; '))
  const read = new Reader(options, fail)
  const request = read.headerMap('customRequestHeaders')
  const response = read.headerMap('customResponseHeaders')
  for (const [header, value] of request) {
    if (framing.has(header)) throw fail(`customRequestHeaders: ${header} cannot be set: the request's framing is Junction's to write`)
    if (header === 'host' && value === '') throw fail('customRequestHeaders: Host cannot be removed (an empty value)')
  }
  for (const [header, value] of response) {
    if (framing.has(header) && value !== '') throw fail(`customResponseHeaders: ${header} cannot be set: the response's framing is Junction's to write`)
  }
  const cors = corsKeys.some((key) => read.isSet(key)) ? corsOptions(read) : undefined
  const security = securityKeys.some((key) => read.isSet(key)) ? securityOptions(read) : undefined
  if (request.length === 0 && response.length === 0 && cors === undefined && security === undefined) {
    throw fail('no header option is set (custom headers, CORS or security headers): the middleware would do nothing')
  }
  return { request, response, cors, security }
}

function corsOptions(read: Reader): CorsOptions {
  const allowHeaders = read.list('accessControlAllowHeaders')
  const allowMethods = read.list('accessControlAllowMethods')
  const exposeHeaders = read.list('accessControlExposeHeaders')
  for (const [key, items] of [['accessControlAllowHeaders', allowHeaders], ['accessControlAllowMethods', allowMethods], ['accessControlExposeHeaders', exposeHeaders]] as const) {
    read.headerValue(key, items.join(','))
  }
  const allowOriginList = read.list('accessControlAllowOriginList')
  for (const origin of allowOriginList) read.headerValue('accessControlAllowOriginList', origin)
  const allowOriginListRegex = read.list('accessControlAllowOriginListRegex').map((pattern, index) => read.regexp(`accessControlAllowOriginListRegex[${index}]`, pattern))
  const maxAge = read.integer('accessControlMaxAge', -Infinity)
  return {
    allowCredentials: read.flag('accessControlAllowCredentials'),
    allowHeaders,
    allowMethods,
    allowOriginList,
    allowOriginListRegex,
    exposeHeaders,
    maxAge,
    addVaryHeader: read.flag('addVaryHeader'),
  }
}

function securityOptions(read: Reader): SecurityOptions {
  const hostsProxyHeaders = read.list('hostsProxyHeaders').map((header) => read.headerName('hostsProxyHeaders', header))
  const sslProxyHeaders = read.headerMap('sslProxyHeaders')
  for (const [header, value] of sslProxyHeaders) {
    // Go's Header.Get answers '' for a missing header: an empty value would mark every request without it as HTTPS.
    if (value === '') throw read.fail(`sslProxyHeaders.${header}: an empty value would mark every request without the header as HTTPS`)
  }
  const value = (key: keyof SecurityOptions & string): string => read.headerValue(key, read.text(key))
  return {
    allowedHosts: read.list('allowedHosts'),
    hostsProxyHeaders,
    sslProxyHeaders,
    stsSeconds: read.integer('stsSeconds', 0) ?? 0,
    stsIncludeSubdomains: read.flag('stsIncludeSubdomains'),
    stsPreload: read.flag('stsPreload'),
    forceSTSHeader: read.flag('forceSTSHeader'),
    frameDeny: read.flag('frameDeny'),
    customFrameOptionsValue: value('customFrameOptionsValue'),
    contentTypeNosniff: read.flag('contentTypeNosniff'),
    browserXssFilter: read.flag('browserXssFilter'),
    customBrowserXSSValue: value('customBrowserXSSValue'),
    contentSecurityPolicy: value('contentSecurityPolicy'),
    contentSecurityPolicyReportOnly: value('contentSecurityPolicyReportOnly'),
    publicKey: value('publicKey'),
    referrerPolicy: value('referrerPolicy'),
    permissionsPolicy: value('permissionsPolicy'),
    isDevelopment: read.flag('isDevelopment'),
  }
}
