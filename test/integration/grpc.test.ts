import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type StatusObject,
} from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJunction, type TestJunction } from '../support/junction.ts'
import { testCertificate } from '../support/tls-certificates.ts'

/** Messages travel as JSON in the gRPC frames: no protobuf needed for a real gRPC exchange. */
const json = {
  serialize: (value: unknown): Buffer => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer): unknown => JSON.parse(bytes.toString()),
}

function method(path: string, responseStream: boolean) {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  }
}

/** A key-value store: Get (unary) and List (server streaming). */
const store: ServiceDefinition = { get: method('/kv.Store/Get', false), list: method('/kv.Store/List', true) }

interface StoreClient extends Client {
  get(request: { key: string }, metadata: Metadata, callback: (error: (Error & { code: number; details: string }) | null, value?: { value: string }) => void): ClientUnaryCall
  list(request: { prefix: string }): ClientReadableStream<{ key: string }>
}

const entries: ReadonlyMap<string, string> = new Map([
  ['fruit/apple', 'red'],
  ['fruit/banana', 'yellow'],
  ['veg/leek', 'green'],
])

const certificate = testCertificate({ cn: 'grpc.test', san: ['DNS:grpc.test'] })
let server: Server
let junction: TestJunction
let client: StoreClient

beforeAll(async () => {
  server = new Server()
  server.addService(store, {
    get(call: ServerUnaryCall<{ key: string }, { value: string }>, callback: sendUnaryData<{ value: string }>) {
      const trailer = new Metadata()
      trailer.set('x-request-id-seen', String(call.metadata.get('x-request-id')[0] ?? 'none'))
      const value = entries.get(call.request.key)
      if (value === undefined) callback({ code: status.NOT_FOUND, details: `no key ${call.request.key}`, metadata: trailer })
      else callback(null, { value }, trailer)
    },
    list(call: ServerWritableStream<{ prefix: string }, { key: string }>) {
      for (const key of entries.keys()) if (key.startsWith(call.request.prefix)) call.write({ key })
      call.end()
    },
  })
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))))
  junction = await startJunction()
  await junction.write({
    http: {
      routers: { grpc: { rule: 'Host(`grpc.test`)', service: 'store', tls: {} } },
      services: { store: { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${port}` }] } } },
    },
    tls: { certificates: [{ certFile: certificate.cert, keyFile: certificate.key }] },
  })
  const Store = makeGenericClientConstructor(store, 'Store')
  client = new Store(`127.0.0.1:${new URL(junction.url()).port}`, credentials.createSsl(Buffer.from(certificate.cert)), {
    'grpc.ssl_target_name_override': 'grpc.test',
    'grpc.default_authority': 'grpc.test',
  }) as unknown as StoreClient
})

afterAll(async () => {
  client.close()
  await junction.stop()
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()))
})

/** A unary Get: its answer or error, and the trailer metadata that came with its status. */
function get(key: string): Promise<{ value?: string; code: number; details: string; seen: unknown[] }> {
  return new Promise((resolve) => {
    const metadata = new Metadata()
    metadata.set('x-request-id', `req-${key}`)
    let answer: { value?: string; code: number; details: string } | undefined
    let trailer: Metadata | undefined
    const call = client.get({ key }, metadata, (error, value) => {
      answer = error === null ? { value: value?.value ?? '', code: status.OK, details: '' } : { code: error.code, details: error.details }
      if (trailer !== undefined) resolve({ ...answer, seen: trailer.get('x-request-id-seen') })
    })
    call.on('status', (result: StatusObject) => {
      trailer = result.metadata
      if (answer !== undefined) resolve({ ...answer, seen: trailer.get('x-request-id-seen') })
    })
  })
}

describe('gRPC through Junction (TLS h2 from the client, h2c to the server)', () => {
  it('makes a unary call, with request metadata to the server and trailer metadata back', async () => {
    expect(await get('fruit/apple')).toEqual({ value: 'red', code: status.OK, details: '', seen: ['req-fruit/apple'] })
  })

  it('carries an error status and its message in the trailers', async () => {
    expect(await get('fruit/cherry')).toEqual({ code: status.NOT_FOUND, details: 'no key fruit/cherry', seen: ['req-fruit/cherry'] })
  })

  it('streams a server-streaming call to its end', async () => {
    const keys: string[] = []
    const ended = await new Promise<number>((resolve, reject) => {
      const stream = client.list({ prefix: 'fruit/' })
      stream.on('data', (message: { key: string }) => keys.push(message.key))
      stream.on('status', (result: StatusObject) => resolve(result.code))
      stream.on('error', reject)
    })
    expect({ keys, ended }).toEqual({ keys: ['fruit/apple', 'fruit/banana'], ended: status.OK })
  })
})
