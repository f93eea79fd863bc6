import type { Client } from 'acme-client'
import { Agent, request } from 'undici'

/** What a resolver's requests to its CA need. */
export interface AcmeTransportOptions {
  /** PEM certificates to trust for the CA's HTTPS (`caCertificates`), instead of the system's. */
  readonly ca?: readonly string[]
  /** The name to check the CA's certificate against (`caServerName`), when it is not the URL's host. */
  readonly serverName?: string
  /** Ends every request, and every retry loop of acme-client with it. */
  readonly signal: AbortSignal
  /** Longest wait for a response's headers, then for its body (Traefik's 30 s `clientResponseHeaderTimeout`). */
  readonly timeout?: number
}

/** The shape acme-client reads of a response: its status, lower-case headers, and body (JSON parsed). */
interface AcmeResponse {
  status: number
  headers: Record<string, string>
  data: unknown
}

type AcmeRequest = (url: string, method: string, options?: { data?: unknown; headers?: Record<string, string> }) => Promise<AcmeResponse>

/** A CA answers with JSON objects and certificate chains of a few kilobytes; more than this is not a CA. */
const maxBody = 1024 * 1024

/**
 * Sends a resolver's requests through undici rather than acme-client's
 * own HTTP client. acme-client sends every request through one axios
 * instance shared by the whole process: a CA's trust (`caCertificates`)
 * would be every resolver's, nothing could stop a request, and its retry
 * sleeps (up to 75 s for a CA that does not answer) hold timers no signal
 * clears. Here each resolver has its own agent, every request ends with the
 * control plane's signal, and failures surface at once: the resolver's
 * own backoff decides when to try again.
 *
 * acme-client routes every call through `client.http.request(url, method,
 * options)` (its `HttpClient`, not part of its typings); this replaces that
 * one method and checks it is there, so an acme-client that changes it
 * fails at the first order with a clear message.
 *
 * Once the signal has aborted, requests never settle: acme-client's polling
 * loops then stop where they are, with no timer left behind, and the order
 * that awaited them has already ended on the signal (see `orders.ts`).
 */
export function useTransport(client: Client, options: AcmeTransportOptions): () => Promise<void> {
  const http = (client as unknown as { http?: { request?: unknown } }).http
  if (typeof http?.request !== 'function') throw new Error("acme-client's HttpClient.request is missing: this acme-client version is not supported")
  const timeout = options.timeout ?? 30_000
  const dispatcher = new Agent({
    connect: { ...(options.ca !== undefined && { ca: [...options.ca] }), ...(options.serverName !== undefined && { servername: options.serverName }) },
    headersTimeout: timeout,
    bodyTimeout: timeout,
  })
  const send: AcmeRequest = async (url, method, { data, headers } = {}) => {
    if (options.signal.aborted) return new Promise<never>(() => {})
    try {
      const response = await request(url, {
        method: method.toUpperCase() as 'GET',
        // As acme-client's own request did: every ACME POST is a JWS (RFC 8555 §6.2).
        headers: { 'user-agent': 'junction', ...headers, 'content-type': 'application/jose+json' },
        ...(data !== undefined && { body: JSON.stringify(data) }),
        dispatcher,
        signal: options.signal,
      })
      const text = await boundedText(response.body)
      const headerValues: Record<string, string> = {}
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headerValues[name] = Array.isArray(value) ? value.join(', ') : value
      }
      return { status: response.statusCode, headers: headerValues, data: parseBody(text, headerValues['content-type']) }
    } catch (error) {
      if (options.signal.aborted) return new Promise<never>(() => {})
      throw new Error(`${method.toUpperCase()} ${url}: ${(error as Error).message}`, { cause: error })
    }
  }
  http.request = send
  return () => dispatcher.close()
}

async function boundedText(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > maxBody) throw new Error(`the response is larger than ${maxBody} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** JSON bodies (`application/json`, `application/problem+json`) parsed, as axios did; certificates stay text. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '' || contentType === undefined || !/[/+]json\b/i.test(contentType)) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
