import type { DnsProvider } from '../contracts.ts'
import { setting, type DnsEnv } from './settings.ts'

/** One management call may take this long (ms): challtestsrv answers at once, on loopback. */
const requestTimeout = 10_000
/** How much of an error answer's body is kept for the message. */
const errorBodyBytes = 512

/**
 * pebble-challtestsrv's management API as a DNS-01 provider, for tests and
 * local development against Pebble (never for a real CA): `present` POSTs
 * `{"host": fqdn, "value": value}` to `/set-txt`, `cleanup` POSTs
 * `{"host": fqdn}` to `/clear-txt`, which removes every TXT value of that
 * name. `CHALLTESTSRV_URL` is the management interface's base URL
 * (`http://127.0.0.1:8055`).
 *
 * @throws Error when `CHALLTESTSRV_URL` is missing or not an http(s) URL.
 * @example
 * const provider = challtestsrvProvider({ CHALLTESTSRV_URL: 'http://127.0.0.1:8055' })
 */
export function challtestsrvProvider(env: DnsEnv): DnsProvider {
  const name = 'challtestsrv'
  const text = setting(name, env, 'CHALLTESTSRV_URL')
  if (text === '') throw new Error(`dns provider ${name}: CHALLTESTSRV_URL is not set (the base URL of pebble-challtestsrv's management interface)`)
  let base: URL
  try {
    base = new URL(text)
  } catch {
    throw new Error(`dns provider ${name}: CHALLTESTSRV_URL: ${JSON.stringify(text)} is not a URL`)
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`dns provider ${name}: CHALLTESTSRV_URL: expected an http:// or https:// URL, got ${JSON.stringify(text)}`)
  if (!base.pathname.endsWith('/')) base.pathname += '/'
  const post = async (path: string, body: object, signal: AbortSignal): Promise<void> => {
    const url = new URL(path, base)
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeout)]),
      })
    } catch (error) {
      throw new Error(`dns provider ${name}: POST ${url.href}: ${(error as Error).message}`, { cause: error })
    }
    const answer = await head(response, errorBodyBytes)
    if (!response.ok) throw new Error(`dns provider ${name}: POST ${url.href}: ${response.status}${answer === '' ? '' : ` ${answer}`}`)
  }
  return {
    name,
    present: (record, signal) => post('set-txt', { host: record.fqdn, value: record.value }, signal),
    cleanup: (record, signal) => post('clear-txt', { host: record.fqdn }, signal),
  }
}

/** The first `limit` bytes of a response body as text, the rest left unread: a server's answer is untrusted input. */
async function head(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let length = 0
  try {
    while (length < limit) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      length += value.length
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').trim()
}
