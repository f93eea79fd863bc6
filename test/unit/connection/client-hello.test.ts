import { beforeAll, describe, expect, it } from 'vitest'
import { maxClientHelloBytes, parseClientHello, type HelloResult } from '../../../src/connection/client-hello.ts'
import { captureHello } from '../../support/client-hello.ts'

// A small ClientHello builder: just enough wire format to write valid hellos and break them one field at a time.
const u8 = (value: number): Buffer => Buffer.from([value])
const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff])
const u24 = (value: number): Buffer => Buffer.from([value >> 16, (value >> 8) & 0xff, value & 0xff])
const bytes = (value: string | Buffer): Buffer => (typeof value === 'string' ? Buffer.from(value, 'latin1') : value)
const vec8 = (value: string | Buffer): Buffer => Buffer.concat([u8(bytes(value).length), bytes(value)])
const vec16 = (value: string | Buffer): Buffer => Buffer.concat([u16(bytes(value).length), bytes(value)])

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(data)])
}

/** server_name with entries of [name_type, name]. */
function sni(...entries: Array<[number, string | Buffer]>): Buffer {
  return extension(0, vec16(Buffer.concat(entries.map(([type, name]) => Buffer.concat([u8(type), vec16(name)])))))
}

function alpn(...names: string[]): Buffer {
  return extension(16, vec16(Buffer.concat(names.map(vec8))))
}

interface BodyOptions {
  readonly sessionId?: Buffer
  readonly cipherSuites?: Buffer
  readonly compression?: Buffer
  /** Undefined: no extensions block at all (a TLS 1.0 hello). */
  readonly extensions?: readonly Buffer[] | undefined
  /** Bytes after the extensions block. */
  readonly trailing?: Buffer
}

function body(options: BodyOptions = {}): Buffer {
  const parts = [
    u16(0x0303),
    Buffer.alloc(32, 7),
    vec8(options.sessionId ?? Buffer.alloc(32, 1)),
    vec16(options.cipherSuites ?? Buffer.from([0x13, 0x01, 0x13, 0x02])),
    vec8(options.compression ?? Buffer.from([0])),
  ]
  if (options.extensions !== undefined) parts.push(vec16(Buffer.concat(options.extensions)))
  if (options.trailing !== undefined) parts.push(options.trailing)
  return Buffer.concat(parts)
}

function handshake(message: Buffer, type = 1): Buffer {
  return Buffer.concat([u8(type), u24(message.length), message])
}

function record(fragment: Buffer, type = 22, version = 0x0301): Buffer {
  return Buffer.concat([u8(type), u16(version), u16(fragment.length), fragment])
}

/** The handshake bytes in records cut at the given offsets. */
function records(data: Buffer, ...cuts: number[]): Buffer {
  const bounds = [0, ...cuts, data.length]
  return Buffer.concat(bounds.slice(1).map((end, i) => record(data.subarray(bounds[i], end))))
}

const hello = (serverName: string | undefined, protocols: readonly string[] = []): HelloResult => ({ kind: 'hello', hello: { serverName, alpn: protocols } })
const malformed = (reason: string): HelloResult => ({ kind: 'malformed', reason })


/** mulberry32: a tiny seeded PRNG, so the fuzz loop's mutations repeat from run to run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const base = [sni([0, 'example.com']), alpn('h2')]

describe('parseClientHello on built hellos', () => {
  it.each<{ desc: string; input: Buffer; expected: HelloResult }>([
    { desc: 'SNI and ALPN', input: records(handshake(body({ extensions: base }))), expected: hello('example.com', ['h2']) },
    { desc: 'no extensions block (a TLS 1.0 hello)', input: records(handshake(body())), expected: hello(undefined) },
    { desc: 'an empty extensions block', input: records(handshake(body({ extensions: [] }))), expected: hello(undefined) },
    {
      desc: 'other extensions around them, skipped',
      input: records(handshake(body({ extensions: [extension(0xff01, u8(0)), alpn('h2', 'http/1.1'), extension(10, vec16(u16(29))), sni([0, 'a.test']), extension(21, Buffer.alloc(100))] }))),
      expected: hello('a.test', ['h2', 'http/1.1']),
    },
    { desc: 'the host name as sent, case and trailing dot kept', input: records(handshake(body({ extensions: [sni([0, 'Example.COM.'])] }))), expected: hello('Example.COM.') },
    { desc: 'the first host_name, after another name type', input: records(handshake(body({ extensions: [sni([1, 'xx'], [0, 'a.test'], [0, 'b.test'])] }))), expected: hello('a.test') },
    { desc: 'no host_name among the names', input: records(handshake(body({ extensions: [sni([1, 'xx'])] }))), expected: hello(undefined) },
    { desc: 'a 255-byte host name', input: records(handshake(body({ extensions: [sni([0, 'a'.repeat(255)])] }))), expected: hello('a'.repeat(255)) },
    { desc: 'an empty session id', input: records(handshake(body({ sessionId: Buffer.alloc(0), extensions: base }))), expected: hello('example.com', ['h2']) },
    { desc: 'a record version of 3.3', input: Buffer.concat([record(handshake(body({ extensions: base })), 22, 0x0303)]), expected: hello('example.com', ['h2']) },
    { desc: 'records after the hello', input: Buffer.concat([records(handshake(body({ extensions: base }))), record(u8(1), 20), Buffer.from('junk')]), expected: hello('example.com', ['h2']) },
    {
      desc: 'a record longer than the hello it carries, cut short after it',
      input: (() => {
        const whole = record(Buffer.concat([handshake(body({ extensions: base })), Buffer.alloc(50)]))
        return whole.subarray(0, whole.length - 40)
      })(),
      expected: hello('example.com', ['h2']),
    },
    {
      desc: 'a hello in three records, its handshake header split too',
      input: (() => {
        const message = handshake(body({ extensions: base }))
        return records(message, 2, 60)
      })(),
      expected: hello('example.com', ['h2']),
    },
    {
      desc: 'a hello of a full 2^14-byte record',
      input: (() => {
        const padding = 16_384 - handshake(body({ extensions: [...base, extension(21, Buffer.alloc(0))] })).length
        return records(handshake(body({ extensions: [...base, extension(21, Buffer.alloc(padding))] })))
      })(),
      expected: hello('example.com', ['h2']),
    },

    { desc: 'no bytes yet', input: Buffer.alloc(0), expected: { kind: 'need-more' } },
    { desc: 'a record header only', input: records(handshake(body({ extensions: base }))).subarray(0, 5), expected: { kind: 'need-more' } },
    { desc: 'an HTTP request', input: Buffer.from('GET / HTTP/1.1\r\n\r\n'), expected: { kind: 'not-tls' } },
    { desc: 'a first record that is not a handshake (alert)', input: record(Buffer.from([2, 40]), 21), expected: { kind: 'not-tls' } },
    { desc: 'an SSLv2-style hello', input: Buffer.from([0x80, 0x2e, 0x01, 0x00, 0x02]), expected: { kind: 'not-tls' } },

    { desc: 'a record version that is not 3.x', input: Buffer.from([22, 2, 0]), expected: malformed('client hello: record version is not 3.x') },
    { desc: 'garbage after a handshake byte', input: Buffer.from('\x16garbage', 'latin1'), expected: malformed('client hello: record version is not 3.x') },
    { desc: 'a record over 2^14 bytes', input: Buffer.concat([u8(22), u16(0x0301), u16(16_385)]), expected: malformed('client hello: record longer than 16384 bytes') },
    { desc: 'an empty handshake record', input: Buffer.concat([record(Buffer.alloc(0)), records(handshake(body()))]), expected: malformed('client hello: empty handshake record') },
    {
      desc: 'an alert after a first handshake fragment',
      input: (() => {
        const message = handshake(body({ extensions: base }))
        return Buffer.concat([record(message.subarray(0, 50)), record(Buffer.from([2, 40]), 21)])
      })(),
      expected: malformed('client hello: a record of type 21 before the hello is complete'),
    },
    {
      desc: 'just the type byte of an alert after a first handshake fragment',
      input: Buffer.concat([record(handshake(body({ extensions: base })).subarray(0, 50)), u8(21)]),
      expected: malformed('client hello: a record of type 21 before the hello is complete'),
    },
    { desc: 'a server hello', input: records(handshake(body(), 2)), expected: malformed('client hello: the first handshake message is not a client hello') },
    { desc: 'a hello announcing 2^24-1 bytes', input: record(Buffer.concat([u8(1), u24(0xffffff)])), expected: malformed(`client hello: longer than ${maxClientHelloBytes} bytes`) },
    { desc: 'a body shorter than its random', input: records(handshake(Buffer.alloc(20))), expected: malformed('client hello: shorter than its version and random') },
    { desc: 'a 33-byte session id', input: records(handshake(body({ sessionId: Buffer.alloc(33) }))), expected: malformed('client hello: session id longer than 32 bytes') },
    { desc: 'an odd cipher suites length', input: records(handshake(body({ cipherSuites: Buffer.alloc(3) }))), expected: malformed('client hello: cipher suites length is not a positive even number') },
    { desc: 'no cipher suites', input: records(handshake(body({ cipherSuites: Buffer.alloc(0) }))), expected: malformed('client hello: cipher suites length is not a positive even number') },
    { desc: 'no compression methods', input: records(handshake(body({ compression: Buffer.alloc(0) }))), expected: malformed('client hello: no compression methods') },
    { desc: 'a lone byte where the extensions length goes', input: records(handshake(body({ trailing: u8(0) }))), expected: malformed('client hello: extensions length runs past the end') },
    { desc: 'bytes after the extensions', input: records(handshake(body({ extensions: base, trailing: u8(0) }))), expected: malformed('client hello: bytes after the extensions') },
    {
      desc: 'an extension running past the extensions',
      input: records(handshake(Buffer.concat([body(), vec16(Buffer.concat([u16(0), u16(50), Buffer.alloc(10)]))]))),
      expected: malformed('client hello: extension 0 runs past the end'),
    },
    { desc: 'a duplicate extension', input: records(handshake(body({ extensions: [alpn('h2'), sni([0, 'a.test']), alpn('h2')] }))), expected: malformed('client hello: duplicate extension 16') },
    { desc: 'a duplicate unknown extension', input: records(handshake(body({ extensions: [extension(99, u8(0)), extension(99, u8(0))] }))), expected: malformed('client hello: duplicate extension 99') },
    {
      desc: 'an SNI name longer than its extension',
      input: records(handshake(body({ extensions: [extension(0, vec16(Buffer.concat([u8(0), u16(10), Buffer.from('a.te')])))] }))),
      expected: malformed('client hello: server_name extension runs past its end'),
    },
    { desc: 'an empty server_name extension', input: records(handshake(body({ extensions: [extension(0, Buffer.alloc(0))] }))), expected: malformed('client hello: server_name extension runs past its end') },
    { desc: 'an empty server_name list', input: records(handshake(body({ extensions: [extension(0, u16(0))] }))), expected: malformed('client hello: empty server_name list') },
    {
      desc: 'a server_name list shorter than its extension',
      input: records(handshake(body({ extensions: [extension(0, Buffer.concat([u16(9), u8(0), vec16('a.test'), u8(0)]))] }))),
      expected: malformed('client hello: server_name list does not fill its extension'),
    },
    { desc: 'an empty host name', input: records(handshake(body({ extensions: [sni([0, ''])] }))), expected: malformed('client hello: server name is not 1 to 255 bytes') },
    { desc: 'a 256-byte host name', input: records(handshake(body({ extensions: [sni([0, 'a'.repeat(256)])] }))), expected: malformed('client hello: server name is not 1 to 255 bytes') },
    { desc: 'a non-ASCII host name', input: records(handshake(body({ extensions: [sni([0, Buffer.from('é.test')])] }))), expected: malformed('client hello: server name is not printable ascii') },
    { desc: 'a space in the host name', input: records(handshake(body({ extensions: [sni([0, 'a .test'])] }))), expected: malformed('client hello: server name is not printable ascii') },
    { desc: 'DEL in the host name', input: records(handshake(body({ extensions: [sni([0, 'a\x7f.test'])] }))), expected: malformed('client hello: server name is not printable ascii') },
    { desc: 'an empty ALPN list', input: records(handshake(body({ extensions: [extension(16, u16(0))] }))), expected: malformed('client hello: empty alpn list') },
    { desc: 'an empty ALPN name', input: records(handshake(body({ extensions: [alpn('h2', '')] }))), expected: malformed('client hello: empty alpn protocol name') },
    {
      desc: 'an ALPN name longer than its extension',
      input: records(handshake(body({ extensions: [extension(16, vec16(Buffer.concat([u8(9), Buffer.from('h2')])))] }))),
      expected: malformed('client hello: alpn extension runs past its end'),
    },
    {
      desc: 'an ALPN list longer than its extension',
      input: records(handshake(body({ extensions: [extension(16, Buffer.concat([u16(9), vec8('h2')]))] }))),
      expected: malformed('client hello: alpn list does not fill its extension'),
    },
  ])('$desc', ({ input, expected }) => {
    expect(parseClientHello(input)).toEqual(expected)
  })

  describe('the size cap', () => {
    // A hello that would fit by its own length, sent one byte per record: the record headers take it past the cap.
    const dribbled = (() => {
      const message = handshake(body({ extensions: [...base, extension(21, Buffer.alloc(8_000))] }))
      return Buffer.concat(Array.from(message, (byte) => record(u8(byte))))
    })()

    it('is 2^14 bytes and sixteen record headers', () => {
      expect(maxClientHelloBytes).toBe(16_464)
    })

    it.each([
      { desc: 'one byte short of the cap, still incomplete', length: maxClientHelloBytes - 1, expected: { kind: 'need-more' } },
      { desc: 'at the cap, still incomplete', length: maxClientHelloBytes, expected: malformed(`client hello: longer than ${maxClientHelloBytes} bytes`) },
      { desc: 'past the cap, still incomplete', length: dribbled.length, expected: malformed(`client hello: longer than ${maxClientHelloBytes} bytes`) },
    ])('$desc', ({ length, expected }) => {
      expect(dribbled.length).toBeGreaterThan(maxClientHelloBytes)
      expect(parseClientHello(dribbled.subarray(0, length))).toEqual(expected)
    })
  })
})

describe('parseClientHello on real hellos from tls.connect', () => {
  let real: Buffer
  let withoutName: Buffer
  beforeAll(async () => {
    real = await captureHello({ servername: 'a.test', ALPNProtocols: ['h2', 'http/1.1'] })
    // Node sends no SNI when connecting to an IP address without `servername`.
    withoutName = await captureHello({})
  })

  it('captures each as one whole record', () => {
    expect({ real: real.length, withoutName: withoutName.length }).toEqual({ real: 5 + real.readUInt16BE(3), withoutName: 5 + withoutName.readUInt16BE(3) })
  })

  it('reads the server name and ALPN list', () => {
    expect(parseClientHello(real)).toEqual(hello('a.test', ['h2', 'http/1.1']))
  })

  it('reads no server name and no ALPN when none was sent', () => {
    expect(parseClientHello(withoutName)).toEqual(hello(undefined))
  })

  it('needs more for every proper prefix, and has the hello with the last byte', () => {
    const early: Array<{ length: number; result: HelloResult }> = []
    for (let length = 1; length < real.length; length++) {
      const result = parseClientHello(real.subarray(0, length))
      if (result.kind !== 'need-more') early.push({ length, result })
    }
    expect(early).toEqual([])
    expect(parseClientHello(real)).toEqual(hello('a.test', ['h2', 'http/1.1']))
  })

  it('reads the same hello re-fragmented into two records, cut anywhere', () => {
    const message = real.subarray(5)
    const different: Array<{ cut: number; result: HelloResult }> = []
    for (let cut = 1; cut < message.length; cut++) {
      const result = parseClientHello(records(message, cut))
      if (result.kind !== 'hello' || result.hello.serverName !== 'a.test' || result.hello.alpn.join() !== 'h2,http/1.1') different.push({ cut, result })
    }
    expect(different).toEqual([])
  })

  it('survives 2,000 random mutations: never throws, always one of the four kinds', () => {
    const random = mulberry32(0x7e11_0c1a)
    const int = (below: number): number => Math.floor(random() * below)
    const kinds = new Set(['hello', 'need-more', 'not-tls', 'malformed'])
    const seen = new Map<string, number>()
    const failures: Array<{ iteration: number; error: string }> = []
    for (let iteration = 0; iteration < 2_000; iteration++) {
      let mutated = Buffer.from(real)
      for (let step = 1 + int(4); step > 0; step--) {
        const operation = int(4)
        // Half the edits land in the first 300 bytes, where the lengths and the early extensions are.
        const at = int(random() < 0.5 ? Math.min(300, mutated.length) : mutated.length)
        if (operation === 0 && mutated.length > 0) mutated[at] = (mutated[at] ?? 0) ^ (1 << int(8))
        else if (operation === 1 && mutated.length > 0) mutated[at] = int(256)
        else if (operation === 2) mutated = mutated.subarray(0, at)
        else mutated = Buffer.concat([mutated.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(40) }, () => int(256))), mutated.subarray(at)])
      }
      // Half the time, make the record and handshake lengths agree again so the body parser sees the damage.
      if (random() < 0.5 && mutated.length >= 9 && mutated.length - 5 <= 16_384) {
        mutated.writeUInt16BE(mutated.length - 5, 3)
        mutated.writeUIntBE(mutated.length - 9, 6, 3)
      }
      try {
        const result = parseClientHello(mutated)
        if (!kinds.has(result.kind)) failures.push({ iteration, error: `kind ${String(result.kind)}` })
        seen.set(result.kind, (seen.get(result.kind) ?? 0) + 1)
      } catch (error) {
        failures.push({ iteration, error: String(error) })
      }
    }
    expect(failures).toEqual([])
    // The mutations reach both ends: some hellos still parse, some are refused.
    expect({ hello: (seen.get('hello') ?? 0) > 0, malformed: (seen.get('malformed') ?? 0) > 0 }).toEqual({ hello: true, malformed: true })
  })
})
