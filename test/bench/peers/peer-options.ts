import { parseArgs } from 'node:util'

/** Where a peer proxy listens and where it forwards: `--port=<n> --target=http://127.0.0.1:<n>`. */
export interface PeerOptions {
  readonly port: number
  readonly target: URL
}

/** Reads the two flags every peer takes; exits with a usage line when one is missing. */
export function peerOptions(argv: readonly string[] = process.argv.slice(2)): PeerOptions {
  const { values } = parseArgs({ args: [...argv], options: { port: { type: 'string' }, target: { type: 'string' } } })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port <= 0 || values.target === undefined) {
    throw new Error('reading peer flags: usage: --port=<port> --target=http://127.0.0.1:<port>')
  }
  return { port, target: new URL(values.target) }
}
