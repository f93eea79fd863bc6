import { request, type IncomingHttpHeaders } from 'node:http'

/** What a GET to 127.0.0.1 received. */
export interface GetResult {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/**
 * One GET to `127.0.0.1:<port><path>` on a fresh connection (no agent, so no
 * keep-alive socket outlives the test), the body read whole as text.
 */
export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      res.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
}
