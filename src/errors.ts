/**
 * The catalogue of Junction's coded errors. Callers branch on `code`, never on
 * the message. Codes that reach a client carry the HTTP status the responder
 * sends; the body is the status text alone, never a stack or a backend address.
 */
export const errorCatalogue = {
  JCT_ERR_NOT_FOUND: { status: 404, description: 'no router matches the request' },
  JCT_ERR_ACME_CHALLENGE: { status: 404, description: 'no ACME HTTP-01 answer is published for the token asked' },
  JCT_ERR_METHOD_NOT_ALLOWED: { status: 405, description: 'the ACME HTTP-01 challenge path answers GET and HEAD only' },
  JCT_ERR_BAD_GATEWAY: { status: 502, description: 'the server could not be reached or broke the connection' },
  JCT_ERR_NO_SERVER: { status: 503, description: 'the service has no healthy server' },
  JCT_ERR_GATEWAY_TIMEOUT: { status: 504, description: 'the server could not be connected to (dialTimeout), or sent no response headers (responseHeaderTimeout), in time' },
  JCT_ERR_CLIENT_CLOSED: { status: 499, description: 'the client closed the connection before the response' },
  JCT_ERR_BAD_REQUEST: { status: 400, description: 'the request could not be parsed or normalised, or has several or a malformed Host header' },
  JCT_ERR_MISDIRECTED: { status: 421, description: 'the request names a router whose TLS options are not those its connection was set up with for its SNI name' },
  JCT_ERR_HEADERS_TOO_LARGE: { status: 431, description: 'the request head is larger than the entry point allows (http.maxHeaderBytes plus 4 KiB, as Go counts it)' },
  JCT_ERR_INTERNAL: { status: 500, description: 'a handler failed unexpectedly; the log has the details' },
  JCT_ERR_STATIC_CONFIG: { status: 0, description: 'the static configuration is invalid; every problem is listed' },
  JCT_ERR_DYNAMIC_CONFIG: { status: 0, description: 'a dynamic object is invalid; that object alone is disabled' },
  JCT_ERR_LISTEN: { status: 0, description: 'an entry point could not bind its address' },
  JCT_ERR_RULE_SYNTAX: { status: 0, description: 'a router rule does not parse' },
  JCT_ERR_WORKER: { status: 0, description: 'a worker could not start, or ended before it listened' },
  JCT_ERR_TEMPLATE: { status: 0, description: 'a Go template (a dynamic file, a defaultRule) does not parse, or failed or exceeded its limits while rendering' },
} as const

export type ErrorCode = keyof typeof errorCatalogue

/** An error with a stable code; `cause` keeps the underlying error. */
export class JunctionError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'JunctionError'
    this.code = code
  }
}
