import { describe, expect, it } from 'vitest'
import { ownEntryPointAt, refuseOwnAddresses, type OwnAddress } from '../../../../src/config/labels/own-addresses.ts'

const everywhere: OwnAddress = { entryPoint: 'web', address: '0.0.0.0', port: 8000 }
const everywhere6: OwnAddress = { entryPoint: 'web6', address: '::', port: 8001 }
const loopbackOnly: OwnAddress = { entryPoint: 'local', address: '127.0.0.1', port: 8002 }
const oneAddress: OwnAddress = { entryPoint: 'lan', address: '192.168.1.10', port: 8003 }
const v6Address: OwnAddress = { entryPoint: 'lan6', address: 'fd00::10', port: 8004 }
const listening = [everywhere, everywhere6, loopbackOnly, oneAddress, v6Address]

describe('ownEntryPointAt', () => {
  it.each([
    { desc: 'loopback on a port bound everywhere', host: '127.0.0.1', port: 8000, expected: everywhere },
    { desc: 'another loopback address on a port bound everywhere', host: '127.1.2.3', port: 8000, expected: everywhere },
    { desc: 'localhost', host: 'localhost', port: 8000, expected: everywhere },
    { desc: 'IPv6 loopback on a port bound to ::', host: '::1', port: 8001, expected: everywhere6 },
    { desc: 'a bracketed IPv6 loopback', host: '[::1]', port: 8001, expected: everywhere6 },
    { desc: 'an unspecified host', host: '0.0.0.0', port: 8000, expected: everywhere },
    { desc: 'a mapped IPv4 loopback', host: '::ffff:127.0.0.1', port: 8000, expected: everywhere },
    { desc: 'the loopback address bound', host: '127.0.0.1', port: 8002, expected: loopbackOnly },
    { desc: 'localhost on a loopback-bound port', host: 'localhost', port: 8002, expected: loopbackOnly },
    { desc: 'the one address bound', host: '192.168.1.10', port: 8003, expected: oneAddress },
    { desc: 'an IPv6 address written another way', host: 'fd00:0:0:0:0:0:0:10', port: 8004, expected: v6Address },
    { desc: 'another port', host: '127.0.0.1', port: 9000, expected: undefined },
    { desc: 'another host on a port bound everywhere: unknown to be local', host: '172.17.0.5', port: 8000, expected: undefined },
    { desc: 'loopback on a port bound to one other address', host: '127.0.0.1', port: 8003, expected: undefined },
    { desc: 'a name', host: 'junction', port: 8000, expected: undefined },
  ])('$desc', ({ host, port, expected }) => {
    expect(ownEntryPointAt(host, port, listening)).toBe(expected)
  })
})

describe('refuseOwnAddresses', () => {
  it('removes http and tcp services with a server at an own entry point, and says why', () => {
    const config = {
      http: {
        services: {
          loop: { loadBalancer: { servers: [{ url: 'http://10.0.0.1' }, { url: 'http://127.0.0.1:8000/' }] } },
          https: { loadBalancer: { servers: [{ url: 'https://[::1]:8001' }] } },
          fine: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:9000' }] } },
          weighted: { weighted: { services: [{ name: 'fine', weight: 1 }] } },
          garbled: { loadBalancer: { servers: [{ url: 'not a url' }] } },
        },
      },
      tcp: { services: { db: { loadBalancer: { servers: [{ address: '192.168.1.10:8003' }] } } } },
      udp: { services: { dns: { loadBalancer: { servers: [{ address: '127.0.0.1:8000' }] } } } },
    }
    expect(refuseOwnAddresses(config, listening)).toEqual([
      "http service loop: server http://127.0.0.1:8000/ is Junction's own entry point web (0.0.0.0:8000), it would loop back; service left out",
      "http service https: server https://[::1]:8001 is Junction's own entry point web6 ([::]:8001), it would loop back; service left out",
      "tcp service db: server 192.168.1.10:8003 is Junction's own entry point lan (192.168.1.10:8003), it would loop back; service left out",
    ])
    expect(Object.keys(config.http.services)).toEqual(['fine', 'weighted', 'garbled'])
    expect(Object.keys(config.tcp.services)).toEqual([])
    expect(Object.keys(config.udp.services)).toEqual(['dns'])
  })

  it('changes nothing when nothing listens yet', () => {
    const config = { http: { services: { loop: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:8000' }] } } } } }
    expect([refuseOwnAddresses(config, []), Object.keys(config.http.services)]).toEqual([[], ['loop']])
  })
})
