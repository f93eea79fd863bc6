import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { load as parse } from 'js-yaml'
import { dynamicSchema } from '../../../src/config/catalogue.ts'
import { httpMiddlewareTypes, tcpMiddlewareTypes } from '../../../src/config/middleware-schema.ts'
import { fieldsOf, type Schema } from '../../../src/config/schema.ts'
import { validateDynamic } from '../../../src/config/validate-dynamic.ts'

const reference: unknown = parse(readFileSync(join(import.meta.dirname, 'reference', 'traefik-v3-dynamic.yml'), 'utf8'))

/** Every leaf a schema can hold, as `http.services.*.loadBalancer.servers[].url`; flat-key-only fields left out. */
function schemaPaths(schema: Schema, at: string, out: Set<string>): Set<string> {
  if (schema.flatOnly === true) return out
  if (schema.kind === 'object' || schema.kind === 'oneOf') {
    const fields = Object.entries(fieldsOf(schema))
    if (fields.length === 0) out.add(at)
    for (const [name, field] of fields) schemaPaths(field, at === '' ? name : `${at}.${name}`, out)
  } else if (schema.kind === 'map') schemaPaths(schema.of, `${at}.*`, out)
  else if (schema.kind === 'list') schemaPaths(schema.of, `${at}[]`, out)
  else out.add(at)
  return out
}

/** The same paths, for the leaves a value sets. */
function valuePaths(schema: Schema, value: unknown, at: string, out: Set<string>): Set<string> {
  if (value === null || value === undefined) return out
  if (schema.kind === 'object' || schema.kind === 'oneOf') {
    const fields = fieldsOf(schema)
    if (Object.keys(fields).length === 0) out.add(at)
    for (const [name, item] of Object.entries(value)) {
      const field = fields[name]
      if (field !== undefined) valuePaths(field, item, at === '' ? name : `${at}.${name}`, out)
    }
  } else if (schema.kind === 'map') for (const item of Object.values(value)) valuePaths(schema.of, item, `${at}.*`, out)
  else if (schema.kind === 'list') for (const item of value as unknown[]) valuePaths(schema.of, item, `${at}[]`, out)
  else out.add(at)
  return out
}

describe('the dynamic schema', () => {
  it('knows every Traefik v3.7 HTTP middleware type', () => {
    expect(Object.keys(httpMiddlewareTypes).sort()).toEqual(
      [
        'addPrefix', 'basicAuth', 'buffering', 'chain', 'circuitBreaker', 'compress', 'contentType', 'digestAuth',
        'encodedCharacters', 'errors', 'forwardAuth', 'grpcWeb', 'headers', 'inFlightReq', 'ipAllowList', 'ipWhiteList',
        'passTLSClientCert', 'plugin', 'rateLimit', 'redirectRegex', 'redirectScheme', 'replacePath', 'replacePathRegex',
        'retry', 'stripPrefix', 'stripPrefixRegex',
      ].sort(),
    )
    expect(Object.keys(tcpMiddlewareTypes).sort()).toEqual(['inFlightConn', 'ipAllowList', 'ipWhiteList'])
  })

  it('accepts every key of the Traefik v3 reference dynamic configuration, unchanged', () => {
    const { config, errors } = validateDynamic(reference)
    expect(errors).toEqual([])
    // Every value already has its schema type, so nothing is coerced or dropped.
    expect(config).toEqual(reference)
  })

  it('has every key of its own in the reference, so the test above covers the whole schema', () => {
    const covered = valuePaths(dynamicSchema, reference, '', new Set())
    expect([...schemaPaths(dynamicSchema, '', new Set())].filter((path) => !covered.has(path))).toEqual([])
  })
})
