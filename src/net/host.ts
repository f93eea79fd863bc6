/**
 * The host of a Host header (or URL authority) without its port: `a.test:80`
 * gives `a.test`, `[::1]:80` gives `[::1]` (brackets kept, as a URL needs them).
 */
export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return end === -1 ? host : host.slice(0, end + 1)
  }
  const colon = host.indexOf(':')
  return colon === -1 ? host : host.slice(0, colon)
}

/** The port of a Host value (`h:8080`, `[::1]:8080`), or undefined when it names none. */
export function portOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  const colon = host.lastIndexOf(':')
  if (colon === -1 || host.indexOf(']', colon) !== -1) return undefined
  // A bare IPv6 address (`::1`) has colons but no port.
  if (!host.startsWith('[') && host.indexOf(':') !== colon) return undefined
  const port = host.slice(colon + 1)
  return /^\d+$/.test(port) ? port : undefined
}
