import type { OutgoingHttpHeaders } from 'node:http'
import { describe, expect, it } from 'vitest'
import { CorsPolicy } from '../../../middlewares/headers/cors.ts'
import { parseHeadersOptions } from '../../../middlewares/headers/options.ts'

/** The CORS policy of a headers middleware with these options. */
function policy(options: Record<string, unknown>): CorsPolicy {
  const cors = parseHeadersOptions(options, 'cors@file').cors
  if (cors === undefined) throw new Error('no CORS option in the test case')
  return new CorsPolicy(cors)
}

const preflight = { origin: 'https://foo.bar.org', method: 'GET', requestHeaders: 'origin' }
const methods = ['GET', 'OPTIONS', 'PUT']

describe('CORS: the origin decision', () => {
  it.each([
    { desc: 'a listed origin', options: { accessControlAllowOriginList: ['https://foo.bar.org'] }, origin: 'https://foo.bar.org', expected: 'https://foo.bar.org' },
    { desc: 'an origin not listed', options: { accessControlAllowOriginList: ['https://foo.bar.org'] }, origin: 'https://bar.org', expected: undefined },
    { desc: 'origins compare exactly (case)', options: { accessControlAllowOriginList: ['https://foo.bar.org'] }, origin: 'https://FOO.bar.org', expected: undefined },
    { desc: 'no Origin against a list', options: { accessControlAllowOriginList: ['https://foo.bar.org'] }, origin: '', expected: undefined },
    { desc: 'the wildcard', options: { accessControlAllowOriginList: ['*'] }, origin: 'https://foo.bar.org', expected: '*' },
    { desc: 'the wildcard with no Origin (Traefik still answers *)', options: { accessControlAllowOriginList: ['*'] }, origin: '', expected: '*' },
    { desc: 'the wildcard with credentials: the origin itself', options: { accessControlAllowOriginList: ['*'], accessControlAllowCredentials: true }, origin: 'https://foo.bar.org', expected: 'https://foo.bar.org' },
    { desc: 'an exact entry after the wildcard never wins', options: { accessControlAllowOriginList: ['*', 'https://foo.bar.org'] }, origin: 'https://foo.bar.org', expected: '*' },
    { desc: 'an exact entry before the wildcard wins', options: { accessControlAllowOriginList: ['https://foo.bar.org', '*'] }, origin: 'https://foo.bar.org', expected: 'https://foo.bar.org' },
    { desc: 'an anchored regexp', options: { accessControlAllowOriginListRegex: ['^https?://([a-z]+)\\.bar\\.org$'] }, origin: 'https://foo.bar.org', expected: 'https://foo.bar.org' },
    { desc: 'a partial regexp matches anywhere (Go MatchString)', options: { accessControlAllowOriginListRegex: ['([a-z]+)\\.bar'] }, origin: 'https://foo.bar.org', expected: 'https://foo.bar.org' },
    { desc: 'a regexp without a match', options: { accessControlAllowOriginListRegex: ['([a-z]+)\\.bar\\.org'] }, origin: 'https://bar.org', expected: undefined },
    { desc: 'the list before the regexps', options: { accessControlAllowOriginList: ['*'], accessControlAllowOriginListRegex: ['foo'] }, origin: 'https://foo.bar.org', expected: '*' },
  ])('$desc', ({ options, origin, expected }) => {
    expect(policy(options).matchOrigin(origin)).toBe(expected)
  })
})

describe('CORS: the preflight answer (Traefik TestNewHeader_CORSPreflights)', () => {
  it.each([
    {
      desc: 'simple preflight',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['https://foo.bar.org'], accessControlMaxAge: 600 },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-origin': 'https://foo.bar.org', 'access-control-max-age': '600', 'access-control-allow-methods': 'GET,OPTIONS,PUT' },
    },
    {
      desc: 'wildcard origin',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['*'], accessControlMaxAge: 600 },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-origin': '*', 'access-control-max-age': '600', 'access-control-allow-methods': 'GET,OPTIONS,PUT' },
    },
    {
      desc: 'credentials',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['*'], accessControlAllowCredentials: true, accessControlMaxAge: 600 },
      request: preflight,
      expected: {
        'content-length': '0',
        'access-control-allow-origin': 'https://foo.bar.org',
        'access-control-max-age': '600',
        'access-control-allow-methods': 'GET,OPTIONS,PUT',
        'access-control-allow-credentials': 'true',
      },
    },
    {
      desc: 'allowed headers',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['*'], accessControlAllowHeaders: ['origin', 'X-Forwarded-For'], accessControlMaxAge: 600 },
      request: preflight,
      expected: {
        'content-length': '0',
        'access-control-allow-origin': '*',
        'access-control-max-age': '600',
        'access-control-allow-methods': 'GET,OPTIONS,PUT',
        'access-control-allow-headers': 'origin,X-Forwarded-For',
      },
    },
    {
      desc: 'allowed headers, none requested',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['*'], accessControlAllowHeaders: ['origin', 'X-Forwarded-For'] },
      request: { ...preflight, requestHeaders: '' },
      expected: { 'content-length': '0', 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET,OPTIONS,PUT', 'access-control-allow-headers': 'origin,X-Forwarded-For' },
    },
    {
      desc: '* headers and methods with credentials echo the request',
      options: { accessControlAllowMethods: ['*'], accessControlAllowHeaders: ['*'], accessControlAllowOriginList: ['https://foo.bar.org'], accessControlAllowCredentials: true },
      request: { ...preflight, method: 'PATCH', requestHeaders: 'content-type,x-token' },
      expected: {
        'content-length': '0',
        'access-control-allow-origin': 'https://foo.bar.org',
        'access-control-allow-methods': 'PATCH',
        'access-control-allow-headers': 'content-type,x-token',
        'access-control-allow-credentials': 'true',
      },
    },
    {
      desc: '* headers with credentials and nothing requested: no header list',
      options: { accessControlAllowHeaders: ['*'], accessControlAllowOriginList: ['https://foo.bar.org'], accessControlAllowCredentials: true },
      request: { ...preflight, requestHeaders: '' },
      expected: { 'content-length': '0', 'access-control-allow-origin': 'https://foo.bar.org', 'access-control-allow-credentials': 'true' },
    },
    {
      desc: '* headers and methods without credentials are sent as *',
      options: { accessControlAllowMethods: ['*'], accessControlAllowHeaders: ['*'], accessControlAllowOriginList: ['*'] },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-origin': '*', 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' },
    },
    {
      desc: 'an origin not allowed: the lists, no Access-Control-Allow-Origin',
      options: { accessControlAllowMethods: methods, accessControlAllowOriginList: ['https://other.org'] },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-methods': 'GET,OPTIONS,PUT' },
    },
    {
      desc: 'exposed headers',
      options: { accessControlAllowOriginList: ['*'], accessControlExposeHeaders: ['X-A', 'X-B'] },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'X-A,X-B' },
    },
    {
      desc: 'exposed * with credentials: not sent',
      options: { accessControlAllowOriginList: ['*'], accessControlExposeHeaders: ['*'], accessControlAllowCredentials: true },
      request: preflight,
      expected: { 'content-length': '0', 'access-control-allow-origin': 'https://foo.bar.org', 'access-control-allow-credentials': 'true' },
    },
    {
      desc: 'only addVaryHeader: an answer with no CORS header at all',
      options: { addVaryHeader: true },
      request: preflight,
      expected: { 'content-length': '0' },
    },
  ])('$desc', ({ options, request, expected }) => {
    expect(policy(options).preflight(request)).toEqual(expected)
  })
})

describe('CORS: the headers of other responses (Traefik TestNewHeader_CORSResponses)', () => {
  it.each([
    { desc: 'a listed origin', options: { accessControlAllowOriginList: ['https://foo.bar.org'] }, origin: 'https://foo.bar.org', given: {}, expected: { 'access-control-allow-origin': 'https://foo.bar.org' } },
    { desc: 'the wildcard replaces the server value', options: { accessControlAllowOriginList: ['*'] }, origin: 'https://foo.bar.org', given: { 'access-control-allow-origin': 'http://foo.bar.org' }, expected: { 'access-control-allow-origin': '*' } },
    { desc: 'an origin not allowed leaves the server value', options: { accessControlAllowOriginList: ['https://a.org'] }, origin: 'https://b.org', given: { 'access-control-allow-origin': 'https://b.org' }, expected: { 'access-control-allow-origin': 'https://b.org' } },
    {
      desc: 'credentials go on every response, origin or not',
      options: { accessControlAllowOriginList: ['https://a.org'], accessControlAllowCredentials: true },
      origin: 'https://b.org',
      given: {},
      expected: { 'access-control-allow-credentials': 'true' },
    },
    {
      desc: 'exposed headers',
      options: { accessControlAllowOriginList: ['*'], accessControlExposeHeaders: ['origin', 'X-Forwarded-For'] },
      origin: 'https://foo.bar.org',
      given: {},
      expected: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'origin,X-Forwarded-For' },
    },
    { desc: 'Vary added', options: { accessControlAllowOriginList: ['https://foo.bar.org'], addVaryHeader: true }, origin: 'https://foo.bar.org', given: {}, expected: { 'access-control-allow-origin': 'https://foo.bar.org', vary: 'Origin' } },
    { desc: 'Vary appended to the server value', options: { addVaryHeader: true }, origin: '', given: { vary: 'Testing' }, expected: { vary: 'Testing,Origin' } },
    { desc: 'Vary: Origin from the server kept', options: { addVaryHeader: true }, origin: '', given: { vary: 'Origin' }, expected: { vary: 'Origin' } },
    { desc: 'Vary: the first of several server values, as Go reads it', options: { addVaryHeader: true }, origin: '', given: { vary: ['Accept', 'Cookie'] }, expected: { vary: 'Accept,Origin' } },
    { desc: 'Vary empty from the server', options: { addVaryHeader: true }, origin: '', given: { vary: '' }, expected: { vary: 'Origin' } },
  ])('$desc', ({ options, origin, given, expected }) => {
    const cors = policy(options)
    const headers: OutgoingHttpHeaders = { ...(given as OutgoingHttpHeaders) }
    cors.applyToResponse(headers, cors.matchOrigin(origin))
    expect(headers).toEqual(expected)
  })

  it.each([
    { desc: 'credentials', options: { accessControlAllowCredentials: true }, expected: true },
    { desc: 'exposed headers', options: { accessControlExposeHeaders: ['X-A'] }, expected: true },
    { desc: 'Vary', options: { addVaryHeader: true }, expected: true },
    { desc: 'an origin list alone (only a matching origin changes the response)', options: { accessControlAllowOriginList: ['https://a.org'] }, expected: false },
    { desc: 'preflight lists alone', options: { accessControlAllowMethods: ['GET'], accessControlMaxAge: 5 }, expected: false },
  ])('changes every response with $desc: $expected', ({ options, expected }) => {
    expect(policy(options).changesEveryResponse).toBe(expected)
  })
})
