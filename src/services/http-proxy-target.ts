import type { ProxyTarget } from 'http-proxy-3'
import type { Target } from './forwarder.ts'

const cache = new WeakMap<Target, ProxyTarget>()

/**
 * The target object http-proxy-3 wants, built once per server. Passing an
 * object (not a URL string) spares a URL parse per request, and it is the only
 * place http-proxy-3 reads `ca`, `cert` and `key` from: `setupOutgoing` copies
 * them from the target, overwriting any set elsewhere.
 */
export function proxyTargetOf(target: Target): ProxyTarget {
  let built = cache.get(target)
  if (built === undefined) {
    const { url, tls } = target
    const secure = url.protocol === 'https:'
    built = {
      protocol: url.protocol,
      host: url.host,
      hostname: url.hostname,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      // Node accepts arrays of PEM strings here; http-proxy-3's type says string.
      ...(tls?.ca && { ca: tls.ca as unknown as string }),
      ...(tls?.cert && { cert: tls.cert as unknown as string, key: tls.key as unknown as string }),
    }
    cache.set(target, built)
  }
  return built
}
