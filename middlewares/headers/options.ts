import { JunctionError } from '../../src/plugin.ts'

export interface HeadersOptions {
  /** Set on the request before it reaches the server; an empty value removes the header. */
  readonly request: ReadonlyArray<readonly [name: string, value: string]>
  /** Set on the response before it reaches the client; an empty value removes the header. */
  readonly response: ReadonlyArray<readonly [name: string, value: string]>
}

/**
 * Options handled today. The CORS and security options of Traefik's headers
 * middleware arrive with the middleware catalogue; until then they are refused
 * by name, so no configuration silently loses a security header.
 */
const supported = new Set(['customRequestHeaders', 'customResponseHeaders'])

// RFC 9110 token characters: anything else in a name would let a value smuggle a header.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Field values may not carry CR, LF or NUL (response splitting).
const headerValue = /^[^\r\n\0]*$/

export function parseHeadersOptions(options: Record<string, unknown>, name: string): HeadersOptions {
  for (const key of Object.keys(options)) {
    if (!supported.has(key)) throw invalid(name, `option "${key}" is not supported yet`)
  }
  return {
    request: headerList(options['customRequestHeaders'], 'customRequestHeaders', name),
    response: headerList(options['customResponseHeaders'], 'customResponseHeaders', name),
  }
}

function headerList(value: unknown, key: string, name: string): Array<[string, string]> {
  if (value === undefined) return []
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(name, `${key} must be a map of header names to values`)
  }
  return Object.entries(value).map(([header, raw]) => {
    const text = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw
    if (!headerName.test(header)) throw invalid(name, `${key}: invalid header name ${JSON.stringify(header)}`)
    if (typeof text !== 'string' || !headerValue.test(text)) {
      throw invalid(name, `${key}.${header}: value must be a string without line breaks`)
    }
    return [header.toLowerCase(), text]
  })
}

function invalid(name: string, message: string): JunctionError {
  return new JunctionError('JCT_ERR_DYNAMIC_CONFIG', `middleware ${name}: headers: ${message}`)
}
