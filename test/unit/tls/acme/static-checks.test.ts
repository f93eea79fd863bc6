import { describe, expect, it } from 'vitest'
import { loadConfiguration } from '../../../../src/composition.ts'
import { StaticConfigError } from '../../../../src/config/load-static.ts'

const base = ['--entryPoints.web.address=127.0.0.1:0']
const load = (flags: string[]) => loadConfiguration({ argv: [...base, ...flags], env: {}, cwd: '/etc/junction' })

describe('static checks of certificate resolvers', () => {
  it('lists every problem of every resolver together, at start', async () => {
    const error = await load([
      '--certificatesResolvers.none.acme.email=ops@example.test',
      '--certificatesResolvers.http.acme.httpChallenge.delay=1s',
      '--certificatesResolvers.elsewhere.acme.httpChallenge.entryPoint=websecure',
      '--certificatesResolvers.dns.acme.dnsChallenge.resolvers=1.1.1.1:53',
      '--certificatesResolvers.eab.acme.tlsChallenge=true',
      '--certificatesResolvers.eab.acme.eab.kid=kid-1',
      '--certificatesResolvers.ca.acme.tlsChallenge=true',
      '--certificatesResolvers.ca.acme.caServer=ftp://ca.test/dir',
      '--certificatesResolvers.key.acme.tlsChallenge=true',
      '--certificatesResolvers.key.acme.keyType=RSA1024',
    ]).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StaticConfigError)
    expect((error as StaticConfigError).problems).toEqual([
      '--certificatesResolvers.key.acme.keyType: expected one of EC256, EC384, RSA2048, RSA4096, RSA8192, got "RSA1024"',
      'certificatesResolvers.elsewhere.acme.httpChallenge.entryPoint: unknown entry point "websecure"',
      'certificatesResolvers.none.acme: no challenge: set httpChallenge, tlsChallenge or dnsChallenge',
      'certificatesResolvers.http.acme.httpChallenge.entryPoint: missing (the entry point the CA reaches on port 80)',
      'certificatesResolvers.dns.acme.dnsChallenge.provider: missing',
      'certificatesResolvers.eab.acme.eab: both kid and hmacEncoded are needed',
      'certificatesResolvers.ca.acme.caServer: "ftp://ca.test/dir" is not an http(s) URL',
    ])
  })

  it.each([
    { desc: 'an HTTP-01 resolver', flags: ['--certificatesResolvers.le.acme.httpChallenge.entryPoint=web'] },
    { desc: 'a TLS-ALPN-01 resolver set by a bare flag', flags: ['--certificatesResolvers.le.acme.tlsChallenge'] },
    { desc: 'a DNS-01 resolver', flags: ['--certificatesResolvers.le.acme.dnsChallenge.provider=exec'] },
    { desc: 'several challenges, as Traefik allows', flags: ['--certificatesResolvers.le.acme.tlsChallenge', '--certificatesResolvers.le.acme.dnsChallenge.provider=exec'] },
  ])('accepts $desc, storage next to the configuration', async ({ flags }) => {
    const config = await load(flags)
    expect(config.certificatesResolvers?.['le']?.acme?.storage).toBe('/etc/junction/acme.json')
    expect(config.warnings).toEqual([])
  })

  it("reads Traefik v3.3's propagation section, and says requireAllRNS is not honoured", async () => {
    const config = await load([
      '--certificatesResolvers.le.acme.dnsChallenge.provider=exec',
      '--certificatesResolvers.le.acme.dnsChallenge.propagation.delayBeforeChecks=2s',
      '--certificatesResolvers.le.acme.dnsChallenge.propagation.disableANSChecks=true',
      '--certificatesResolvers.le.acme.dnsChallenge.propagation.requireAllRNS=true',
    ])
    expect(config.certificatesResolvers?.['le']?.acme?.dnsChallenge?.propagation).toEqual({ delayBeforeChecks: 2000, disableANSChecks: true, requireAllRNS: true })
    expect(config.warnings).toEqual([
      'certificatesResolvers.le.acme.dnsChallenge.propagation.requireAllRNS: not honoured yet, ignored: the record is looked up with the first resolver that answers, not with each of them',
    ])
  })
})
