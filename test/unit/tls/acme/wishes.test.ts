import { describe, expect, it } from 'vitest'
import type { DynamicConfig } from '../../../../src/config/dynamic.ts'
import { ruleDomains } from '../../../../src/rules/rule-domains.ts'
import { covered, matchDomain, sanitizeDomains } from '../../../../src/tls/acme/domains.ts'
import { certificateWishes, type WishContext } from '../../../../src/tls/acme/wishes.ts'

describe('ruleDomains (Traefik’s ParseDomains)', () => {
  it.each([
    { rule: 'Host(`a.test`)', expected: ['a.test'] },
    { rule: 'Host(`A.Test.`) && PathPrefix(`/api`)', expected: ['a.test'] },
    { rule: 'Host(`a.test`) || (Host(`b.test`) && Path(`/x`)) || Host(`a.test`)', expected: ['a.test', 'b.test'] },
    { rule: 'Host(`a.test`) && !Host(`b.test`)', expected: ['a.test'] },
    { rule: '!(!Host(`a.test`))', expected: ['a.test'] },
    { rule: 'HostRegexp(`^.+\\.test$`) || PathPrefix(`/`)', expected: [] },
  ])('$rule names $expected', ({ rule, expected }) => {
    expect(ruleDomains(rule)).toEqual(expected)
  })

  it("reads v2's Host(a, b) but not HostHeader", () => {
    expect(ruleDomains('Host(`a.test`, `b.test`) || HostHeader(`c.test`)', 'v2')).toEqual(['a.test', 'b.test'])
  })
})

describe('domain names', () => {
  it.each([
    { input: [' A.test. ', 'b.test', 'a.test'], expected: { domains: ['a.test', 'b.test'] } },
    { input: ['', ' '], expected: { error: 'no domain is given' } },
    { input: ['*.*.a.test'], expected: { error: "*.*.a.test: ACME does not allow a '*.*' wildcard" } },
    { input: ['a.*.test'], expected: { error: 'a.*.test: a wildcard is only allowed as the whole first label' } },
  ])('sanitizes $input', ({ input, expected }) => {
    expect(sanitizeDomains(input)).toEqual(expected)
  })

  it.each([
    ['a.test', 'a.test', true],
    ['x.a.test', '*.a.test', true],
    ['a.test', '*.a.test', false],
    ['y.x.a.test', '*.a.test', false],
    ['y.x.a.test', '*.*.a.test', true],
    ['b.test', 'a.test', false],
  ])('%s is covered by %s: %s', (domain, name, expected) => {
    expect(matchDomain(domain, name)).toBe(expected)
    expect(covered(domain, ['other.test', name])).toBe(expected)
  })
})

describe('certificateWishes', () => {
  const context: WishContext = {
    entryPoints: {
      web: { asDefault: false, http: { middlewares: [], encodeQuerySemicolons: false, maxHeaderBytes: 0, sanitizePath: true } },
      websecure: { asDefault: true, http: { middlewares: [], encodeQuerySemicolons: false, maxHeaderBytes: 0, sanitizePath: true, tls: { certResolver: 'le', domains: [{ main: 'ep.test', sans: ['www.ep.test'] }] } } },
    } as unknown as WishContext['entryPoints'],
    resolvers: new Map([['le', { wildcards: false }], ['dns', { wildcards: true }]]),
    defaultRuleSyntax: 'v3',
  }
  const routers = (routers: Record<string, unknown>, tls?: unknown): DynamicConfig => ({ http: { routers }, ...(tls !== undefined && { tls }) }) as DynamicConfig

  it("wants one certificate per router's Host() set, one per tls.domains entry, shared by the routers that ask the same names", () => {
    const { wishes, notes } = certificateWishes(
      routers({
        'a@file': { rule: 'Host(`a.test`) || Host(`b.test`)', entryPoints: ['web'], tls: { certResolver: 'le' } },
        'b@file': { rule: 'Host(`b.test`) || Host(`a.test`)', entryPoints: ['web'], tls: { certResolver: 'le' } },
        'c@file': { rule: 'PathPrefix(`/`)', entryPoints: ['web'], tls: { certResolver: 'dns', domains: [{ main: '*.c.test', sans: ['c.test'] }, { main: 'd.test' }] } },
        'plain@file': { rule: 'Host(`plain.test`)', entryPoints: ['web'] },
      }),
      context,
    )
    expect(wishes).toEqual([
      { resolver: 'le', domains: ['a.test', 'b.test'], routers: ['a@file', 'b@file'], storeDefault: false },
      { resolver: 'dns', domains: ['*.c.test', 'c.test'], routers: ['c@file'], storeDefault: false },
      { resolver: 'dns', domains: ['d.test'], routers: ['c@file'], storeDefault: false },
    ])
    expect(notes).toEqual([])
  })

  it("takes the entry point's http.tls for a router without tls (on its default entry points), its own tls otherwise", () => {
    const { wishes } = certificateWishes(
      routers({
        'bare@file': { rule: 'Host(`bare.test`)' },
        'own@file': { rule: 'Host(`own.test`)', tls: { certResolver: 'dns' } },
      }),
      context,
    )
    expect(wishes).toEqual([
      { resolver: 'le', domains: ['ep.test', 'www.ep.test'], routers: ['bare@file'], storeDefault: false },
      { resolver: 'dns', domains: ['own.test'], routers: ['own@file'], storeDefault: false },
    ])
  })

  it('notes on the router what cannot be ordered: an unknown resolver, a wildcard without DNS-01, no domain, a bad name', () => {
    const { wishes, notes } = certificateWishes(
      routers({
        'unknown@file': { rule: 'Host(`u.test`)', entryPoints: ['web'], tls: { certResolver: 'nope' } },
        'wild@file': { rule: 'Host(`w.test`)', entryPoints: ['web'], tls: { certResolver: 'le', domains: [{ main: '*.w.test' }, { main: 'w.test' }] } },
        'none@file': { rule: 'PathPrefix(`/`)', entryPoints: ['web'], tls: { certResolver: 'le' } },
        'bad@file': { rule: 'Host(`x.test`)', entryPoints: ['web'], tls: { certResolver: 'le', domains: [{ main: '*.*.x.test' }] } },
        'broken@file': { rule: 'Host(`x.test`', entryPoints: ['web'], tls: { certResolver: 'le' } },
      }),
      context,
    )
    expect(wishes).toEqual([{ resolver: 'le', domains: ['w.test'], routers: ['wild@file'], storeDefault: false }])
    expect(notes).toEqual([
      { router: 'unknown@file', message: "router unknown@file: certificate resolver nope: no such certificate resolver: the router is served with the default store's certificates" },
      { router: 'wild@file', message: 'router wild@file: certificate resolver le: *.w.test: a wildcard certificate needs the DNS-01 challenge (dnsChallenge), which this resolver does not use: not ordered' },
      { router: 'none@file', message: 'router none@file: certificate resolver le: its rule names no Host() and it sets no tls.domains, so no certificate is ordered for it' },
      { router: 'bad@file', message: "router bad@file: certificate resolver le: tls.domains: *.*.x.test: ACME does not allow a '*.*' wildcard: not ordered" },
    ])
  })

  it("wants the default store's defaultGeneratedCert, unless the store has a defaultCertificate or the resolver cannot order it", () => {
    const store = (over: Record<string, unknown>) => routers({}, { stores: { 'default@file': { defaultGeneratedCert: { resolver: 'le', domain: { main: 'Default.test', sans: ['alt.test'] } }, ...over } } })
    expect(certificateWishes(store({}), context).wishes).toEqual([{ resolver: 'le', domains: ['default.test', 'alt.test'], routers: [], storeDefault: true }])
    expect(certificateWishes(store({ defaultCertificate: { certFile: 'c', keyFile: 'k' } }), context).wishes).toEqual([])
    expect(certificateWishes(store({ defaultGeneratedCert: { resolver: 'le', domain: { main: '*.default.test' } } }), context).wishes).toEqual([])
    expect(certificateWishes(store({ defaultGeneratedCert: { resolver: 'nope', domain: { main: 'default.test' } } }), context).wishes).toEqual([])
  })
})
