import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { load as parse } from 'js-yaml'
import { httpMiddlewareTypes, tcpMiddlewareTypes } from '../../../src/config/middleware-schema.ts'
import { validateDynamic } from '../../../src/config/validate-dynamic.ts'

describe('the dynamic schema', () => {
  it('knows every Traefik v3 HTTP middleware type', () => {
    expect(Object.keys(httpMiddlewareTypes).sort()).toEqual(
      [
        'addPrefix', 'basicAuth', 'buffering', 'chain', 'circuitBreaker', 'compress', 'contentType', 'digestAuth',
        'errors', 'forwardAuth', 'grpcWeb', 'headers', 'inFlightReq', 'ipAllowList', 'ipWhiteList', 'passTLSClientCert',
        'rateLimit', 'redirectRegex', 'redirectScheme', 'replacePath', 'replacePathRegex', 'retry', 'stripPrefix',
        'stripPrefixRegex',
      ].sort(),
    )
    expect(Object.keys(tcpMiddlewareTypes).sort()).toEqual(['inFlightConn', 'ipAllowList', 'ipWhiteList'])
  })

  it('accepts every key of the Traefik v3 reference dynamic configuration, unchanged', () => {
    const raw: unknown = parse(readFileSync(join(import.meta.dirname, 'reference', 'traefik-v3-dynamic.yml'), 'utf8'))
    const { config, errors } = validateDynamic(raw)
    expect(errors).toEqual([])
    // Every value already has its schema type, so nothing is coerced or dropped.
    expect(config).toEqual(raw)
  })
})
