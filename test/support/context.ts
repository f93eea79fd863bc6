import type { ServerResponse } from 'node:http'
import { Agent } from 'undici'
import type { ConnectionInfo, RequestContext } from '../../src/core/context.ts'
import type { ResponseSeam } from '../../src/core/response-seam.ts'
import type { Middleware, MiddlewareContext } from '../../src/plugin.ts'
import { silentLogger } from '../../src/observability/logger.ts'
import { localChannels } from '../../src/engine/local-channels.ts'

/** A connection as the listener would describe it. */
export function testConnection(overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return { clientIp: '127.0.0.1', clientPort: 50_000, localPort: 80, openedAt: performance.now(), secure: false, trusted: false, ...overrides }
}

const noSeam: ResponseSeam = {
  intercept: () => {
    throw new Error('this test response has no seam')
  },
  mark: () => 0,
  rewind: () => undefined,
}

/**
 * A request context as the entry point makes one. Pass the response (an
 * `ExchangeResponse`) when the code under test may register interceptors.
 */
export function testContext(
  overrides: { connection?: Partial<ConnectionInfo>; res?: ServerResponse; upgrade?: RequestContext['upgrade']; router?: string; appendForwardedFor?: boolean } = {},
): RequestContext {
  return {
    entryPoint: 'web',
    connection: testConnection(overrides.connection),
    appendForwardedFor: overrides.appendForwardedFor ?? true,
    start: performance.now(),
    router: overrides.router ?? 'r@test',
    service: '',
    server: '',
    upgrade: overrides.upgrade,
    response: (overrides.res as unknown as ResponseSeam | undefined) ?? noSeam,
  }
}

let http: Agent | undefined

/**
 * What the builder hands a middleware factory, for a middleware alone:
 * `middlewares` stands for the other middlewares of the generation.
 */
export function testMiddlewareContext(name = 'under-test@file', middlewares: Record<string, Middleware> = {}): MiddlewareContext {
  const states = new Map<string, unknown>()
  return {
    name,
    logger: silentLogger(),
    signal: new AbortController().signal,
    http: (http ??= new Agent()),
    instance: localChannels(),
    middleware: (ref) => {
      const found = middlewares[ref.includes('@') ? ref : `${ref}@file`]
      if (found === undefined) throw new Error(`middleware "${ref}" does not exist`)
      return found
    },
    service: (ref) => {
      throw new Error(`service "${ref}" does not exist`)
    },
    state: <T>(create: () => T): T => {
      if (!states.has(name)) states.set(name, create())
      return states.get(name) as T
    },
  }
}
