import { connect } from 'node:net'

export interface RawResponse {
  /** The status code of the response, 0 if none came. */
  readonly status: number
  /** Header names lower-cased; a repeated header keeps its last value. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Whether the server closed the connection after the response. */
  readonly closed: boolean
}

interface Parsed {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
  /** The whole body announced by content-length has arrived. */
  readonly complete: boolean
}

function parse(data: string): Parsed | undefined {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [statusLine = '', ...lines] = data.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const rest = data.slice(end + 4)
  const length = headers['content-length']
  const body = length === undefined ? rest : rest.slice(0, Number(length))
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, complete: length !== undefined && rest.length >= Number(length) }
}

/**
 * Sends `text` as it is (a request written by hand: two Host headers, an
 * absolute-form target, a huge head) on a fresh connection and reads one
 * response: its head and `content-length` bytes of body, or everything
 * until the server closes. When the response says `Connection: close`, it
 * also waits for the close. A reset (a server closing on request bytes it
 * did not read) is not an error: what arrived before it counts.
 */
export function rawRequest(port: number, text: string): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    let settled = false
    const settle = (parsed: Parsed | undefined, closed: boolean): void => {
      if (settled) return
      settled = true
      socket.destroy()
      resolve(parsed === undefined ? { status: 0, headers: {}, body: data, closed } : { status: parsed.status, headers: parsed.headers, body: parsed.body, closed })
    }
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      data += chunk
      const parsed = parse(data)
      if (parsed?.complete === true && parsed.headers['connection'] !== 'close') settle(parsed, false)
    })
    socket.on('error', () => undefined)
    socket.on('close', () => settle(parse(data), true))
    socket.write(text)
  })
}
