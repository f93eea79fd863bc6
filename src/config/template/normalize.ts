const separator = /[^\p{L}\p{N}]+/u

/**
 * Traefik's `normalize` (`provider.Normalize`): every run of characters
 * that are neither letters nor digits becomes one `-`, with none at either
 * end. It turns a container or service name into something a host name can
 * hold.
 *
 * @example
 * normalize('my_app.web-1') // 'my-app-web-1'
 * normalize('/__hello__/')  // 'hello'
 */
export function normalize(name: string): string {
  return name
    .split(separator)
    .filter((field) => field !== '')
    .join('-')
}
