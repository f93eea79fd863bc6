import { describe, expect, it } from 'vitest'
import { parseEndpoint, resolveEndpoint } from '../../../../providers/docker/endpoint.ts'

describe('docker endpoint: parsing', () => {
  it.each([
    { desc: 'the default socket', url: 'unix:///var/run/docker.sock', tls: false, expected: { kind: 'unix', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' } },
    { desc: 'a relative socket path, as Docker reads it', url: 'unix://run/docker.sock', tls: false, expected: { kind: 'unix', url: 'unix://run/docker.sock', socketPath: 'run/docker.sock' } },
    { desc: 'tcp with a port', url: 'tcp://127.0.0.1:2375', tls: false, expected: { kind: 'tcp', url: 'tcp://127.0.0.1:2375', host: '127.0.0.1', port: 2375, https: false } },
    { desc: 'tcp with tls speaks https', url: 'tcp://docker.internal:2376', tls: true, expected: { kind: 'tcp', url: 'tcp://docker.internal:2376', host: 'docker.internal', port: 2376, https: true } },
    { desc: 'tcp with a trailing slash', url: 'tcp://127.0.0.1:2375/', tls: false, expected: { kind: 'tcp', url: 'tcp://127.0.0.1:2375/', host: '127.0.0.1', port: 2375, https: false } },
    { desc: 'http without a port is port 80', url: 'http://localhost', tls: false, expected: { kind: 'tcp', url: 'http://localhost', host: 'localhost', port: 80, https: false } },
    { desc: 'http with a port', url: 'http://127.0.0.1:2375', tls: false, expected: { kind: 'tcp', url: 'http://127.0.0.1:2375', host: '127.0.0.1', port: 2375, https: false } },
    { desc: 'https without a port is port 443 and tls', url: 'https://docker.example', tls: false, expected: { kind: 'tcp', url: 'https://docker.example', host: 'docker.example', port: 443, https: true } },
    { desc: 'an IPv6 host keeps its brackets', url: 'tcp://[::1]:2375', tls: false, expected: { kind: 'tcp', url: 'tcp://[::1]:2375', host: '[::1]', port: 2375, https: false } },
    { desc: 'the scheme in capitals', url: 'TCP://127.0.0.1:2375', tls: false, expected: { kind: 'tcp', url: 'TCP://127.0.0.1:2375', host: '127.0.0.1', port: 2375, https: false } },
  ])('$desc', ({ url, tls, expected }) => {
    expect(parseEndpoint(url, tls)).toEqual(expected)
  })

  it.each([
    { desc: 'no scheme', url: '/var/run/docker.sock', message: 'endpoint "/var/run/docker.sock": expected scheme://address, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375' },
    { desc: 'host:port without a scheme', url: '127.0.0.1:2375', message: 'endpoint "127.0.0.1:2375": expected scheme://address, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375' },
    { desc: 'ssh', url: 'ssh://traefik@192.168.2.5:2022', message: 'endpoint "ssh://traefik@192.168.2.5:2022": Junction does not connect to Docker over SSH; use unix://, tcp://, http:// or https://' },
    { desc: 'an unknown scheme', url: 'npipe:////./pipe/docker_engine', message: 'endpoint "npipe:////./pipe/docker_engine": unsupported scheme "npipe"; use unix://, tcp://, http:// or https://' },
    { desc: 'unix without a path', url: 'unix://', message: 'endpoint "unix://": no socket path' },
    { desc: 'tcp without a port', url: 'tcp://127.0.0.1', message: 'endpoint "tcp://127.0.0.1": no port (tcp://host:2375)' },
    { desc: 'tcp without a host', url: 'tcp://:2375', message: 'endpoint "tcp://:2375": not a host[:port] address' },
    { desc: 'a bad port', url: 'tcp://127.0.0.1:99999', message: 'endpoint "tcp://127.0.0.1:99999": not a host[:port] address' },
    { desc: 'credentials in the URL', url: 'http://user:secret@127.0.0.1:2375', message: 'endpoint "http://user:secret@127.0.0.1:2375": credentials belong in providers.docker.username and password' },
    { desc: 'a base path', url: 'http://127.0.0.1:2375/docker', message: 'endpoint "http://127.0.0.1:2375/docker": a path after host:port is not supported' },
  ])('refuses $desc', ({ url, message }) => {
    expect(() => parseEndpoint(url, false)).toThrow(new Error(message))
  })

  it('names DOCKER_HOST when the text came from there', () => {
    expect(() => parseEndpoint('localhost:2375', false, 'DOCKER_HOST')).toThrow(
      new Error('DOCKER_HOST "localhost:2375": expected scheme://address, such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375'),
    )
  })
})

describe('docker endpoint: where it comes from', () => {
  it.each([
    { desc: 'the configuration wins over DOCKER_HOST', options: { endpoint: 'tcp://127.0.0.1:2375' }, env: { DOCKER_HOST: 'unix:///run/other.sock' }, expected: { url: 'tcp://127.0.0.1:2375', from: 'configuration' } },
    { desc: 'DOCKER_HOST when no endpoint is configured', options: {}, env: { DOCKER_HOST: 'unix:///run/other.sock' }, expected: { url: 'unix:///run/other.sock', from: 'DOCKER_HOST' } },
    { desc: 'an empty endpoint is no endpoint', options: { endpoint: '' }, env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, expected: { url: 'tcp://127.0.0.1:2375', from: 'DOCKER_HOST' } },
    { desc: "Docker's socket when neither is set", options: {}, env: {}, expected: { url: 'unix:///var/run/docker.sock', from: 'default' } },
    { desc: 'an empty DOCKER_HOST is unset', options: {}, env: { DOCKER_HOST: '' }, expected: { url: 'unix:///var/run/docker.sock', from: 'default' } },
    {
      desc: 'DOCKER_CERT_PATH with DOCKER_TLS_VERIFY verifies',
      options: {},
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: '/certs', DOCKER_TLS_VERIFY: '1' },
      expected: { url: 'tcp://127.0.0.1:2376', from: 'DOCKER_HOST', tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', insecureSkipVerify: false } },
    },
    {
      desc: 'DOCKER_CERT_PATH alone does not verify, as the Docker CLI',
      options: {},
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: '/certs' },
      expected: { url: 'tcp://127.0.0.1:2376', from: 'DOCKER_HOST', tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', insecureSkipVerify: true } },
    },
    {
      desc: 'configured tls wins over DOCKER_CERT_PATH',
      options: { tls: { ca: 'ca.pem' } },
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: '/certs' },
      expected: { url: 'tcp://127.0.0.1:2376', from: 'DOCKER_HOST', tls: { ca: 'ca.pem' } },
    },
    {
      desc: 'DOCKER_CERT_PATH is not read for a configured endpoint',
      options: { endpoint: 'tcp://127.0.0.1:2375' },
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: '/certs' },
      expected: { url: 'tcp://127.0.0.1:2375', from: 'configuration' },
    },
  ])('$desc', ({ options, env, expected }) => {
    expect(resolveEndpoint(options, env)).toEqual(expected)
  })
})
