import { Resolver } from 'node:dns/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DnsChallengeRecord } from '../../../../src/tls/acme/contracts.ts'
import { createDnsProvider } from '../../../../src/tls/acme/dns/index.ts'
import { describeWithChalltestsrv, startChalltestsrv, type Challtestsrv } from '../../../support/challtestsrv.ts'
import { eventually } from '../../../support/eventually.ts'

const record: DnsChallengeRecord = {
  domain: 'a.test',
  fqdn: '_acme-challenge.a.test.',
  value: 'LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM',
  token: 'evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA',
  keyAuthorization: 'evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.nP1qzpXGymHBrUEepNY9HCsQk7K8KhOypzEt62jcerQ',
}

describeWithChalltestsrv('challtestsrv DNS provider against pebble-challtestsrv', () => {
  let server: Challtestsrv
  let resolver: Resolver

  beforeAll(async () => {
    server = await startChalltestsrv()
    resolver = new Resolver({ timeout: 1000, tries: 1 })
    resolver.setServers([server.dnsServer])
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('present sets the TXT record its DNS server answers, and cleanup removes it', async () => {
    const provider = createDnsProvider('challtestsrv', { CHALLTESTSRV_URL: server.managementUrl })
    const signal = new AbortController().signal
    // challtestsrv answers every name, with no data until a record is set.
    await expect(resolver.resolveTxt('_acme-challenge.a.test')).rejects.toMatchObject({ code: 'ENODATA' })
    await provider.present(record, signal)
    expect(await resolver.resolveTxt('_acme-challenge.a.test')).toEqual([[record.value]])
    await provider.cleanup(record, signal)
    await expect(resolver.resolveTxt('_acme-challenge.a.test')).rejects.toMatchObject({ code: 'ENODATA' })
  })

  it('a base URL with a trailing slash reaches the same API', async () => {
    const provider = createDnsProvider('challtestsrv', { CHALLTESTSRV_URL: `${server.managementUrl}/` })
    await provider.present({ ...record, fqdn: '_acme-challenge.b.test.' }, new AbortController().signal)
    expect(await resolver.resolveTxt('_acme-challenge.b.test')).toEqual([[record.value]])
    await provider.cleanup({ ...record, fqdn: '_acme-challenge.b.test.' }, new AbortController().signal)
  })
})

describeWithChalltestsrv('challtestsrv DNS provider failures', () => {
  let refusing: Server
  let url: string

  beforeAll(async () => {
    // Answers every call with a 500 and a body far longer than any message should carry.
    refusing = createServer((_req, res) => res.writeHead(500).end(`no ${'x'.repeat(100_000)}`))
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => refusing.close(resolve))
  })

  it('an error answer fails the call with its status and the start of its body, bounded', async () => {
    const provider = createDnsProvider('challtestsrv', { CHALLTESTSRV_URL: url })
    await expect(provider.present(record, new AbortController().signal)).rejects.toThrow(new Error(`dns provider challtestsrv: POST ${url}/set-txt: 500 no ${'x'.repeat(509)}`))
  })

  it('an unreachable server fails the call, named', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const provider = createDnsProvider('challtestsrv', { CHALLTESTSRV_URL: `http://127.0.0.1:${port}` })
    await expect(provider.cleanup(record, new AbortController().signal)).rejects.toThrow(new Error(`dns provider challtestsrv: POST http://127.0.0.1:${port}/clear-txt: fetch failed`))
  })

  it('an abort stops the call', async () => {
    const hanging = createServer(() => undefined)
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
    try {
      const provider = createDnsProvider('challtestsrv', { CHALLTESTSRV_URL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` })
      const abort = new AbortController()
      const call = provider.present(record, abort.signal)
      await eventually(async () => expect(await new Promise((resolve) => hanging.getConnections((_e, count) => resolve(count)))).toBe(1))
      abort.abort(new Error('order cancelled'))
      await expect(call).rejects.toThrow(/^dns provider challtestsrv: POST http:\/\/127\.0\.0\.1:\d+\/set-txt: order cancelled$/)
    } finally {
      hanging.closeAllConnections()
      await new Promise((resolve) => hanging.close(resolve))
    }
  })
})
