import { describe, expect, it } from 'vitest'
import { loadConfiguration } from '../../../src/composition.ts'

const base = ['--entryPoints.web.address=127.0.0.1:0']

describe('static options accepted but not honoured yet', () => {
  it.each([
    { desc: 'nothing of the kind', flags: [], expected: [] },
    { desc: 'a default written out changes nothing', flags: ['--entryPoints.web.http2.maxConcurrentStreams=250', '--global.sendAnonymousUsage=false'], expected: [] },
    {
      desc: 'nothing for http2, honoured',
      flags: ['--entryPoints.web.http2.maxConcurrentStreams=100', '--entryPoints.web.http2.maxDecoderHeaderTableSize=8192', '--entryPoints.web.http2.maxEncoderHeaderTableSize=0'],
      expected: [],
    },
    { desc: 'nothing for forwardedHeaders.connection, honoured', flags: ['--entryPoints.web.forwardedHeaders.connection=X-Debug,X-Trace'], expected: [] },
    {
      desc: 'a whole section',
      flags: ['--accessLog.format=json'],
      expected: ['accessLog: not honoured yet, ignored: the access log arrives with the observability work'],
    },
    {
      desc: 'an option of an entry point',
      flags: ['--entryPoints.web.proxyProtocol.insecure=true', '--entryPoints.web.http.sanitizePath=false'],
      expected: [
        'entryPoints.web.proxyProtocol: not honoured yet, ignored: the PROXY protocol arrives with layer-4 routing',
        'entryPoints.web.http.sanitizePath: not honoured yet, ignored: Junction always normalises request paths before routing',
      ],
    },
    {
      desc: 'nothing for providers.file.debugLogGeneratedTemplate, honoured',
      flags: ['--providers.file.directory=/tmp', '--providers.file.debugLogGeneratedTemplate=true'],
      expected: [],
    },
    {
      desc: 'the API, and nothing for a certificate resolver, honoured',
      flags: ['--certificatesResolvers.le.acme.email=ops@example.test', '--certificatesResolvers.le.acme.tlsChallenge=true', '--api.dashboard=true'],
      expected: ['api: not honoured yet, ignored: the API and dashboard arrive with their own work'],
    },
  ])('warns about $desc, once each', async ({ flags, expected }) => {
    const config = await loadConfiguration({ argv: [...base, ...flags], env: {}, cwd: '/' })
    expect([...config.warnings].sort()).toEqual([...expected].sort())
  })
})
