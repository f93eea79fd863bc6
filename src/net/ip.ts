import { BlockList, isIP } from 'node:net'

/** `::ffff:10.0.0.1` → `10.0.0.1`: a dual-stack socket reports IPv4 clients that way. Anything else is returned as is. */
export function unmapIPv4(address: string): string {
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:' && isIP(address.slice(7)) === 4) return address.slice(7)
  return address
}

/** An IP or CIDR parsed for a {@link BlockList}; null when the text is neither. */
function parseRange(text: string): { address: string; type: 'ipv4' | 'ipv6'; prefix: number | undefined } | null {
  const slash = text.indexOf('/')
  const written = slash === -1 ? text : text.slice(0, slash)
  const address = unmapIPv4(written)
  const family = isIP(address)
  // Zones (`fe80::1%eth0`) are refused, as Go refuses them.
  if (family === 0 || address.includes('%')) return null
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (slash === -1) return { address, type, prefix: undefined }
  const bits = text.slice(slash + 1)
  // A mapped CIDR (::ffff:10.0.0.0/104) counts its prefix over the IPv6 form.
  const prefix = Number(bits) - (address === written ? 0 : 96)
  if (!/^\d{1,3}$/.test(bits) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return null
  return { address, type, prefix }
}

/** True for an IP address or a CIDR range (`10.0.0.0/8`, `::1`, `fd00::/8`). */
export function isIpOrCidr(text: string): boolean {
  return parseRange(text) !== null
}

/**
 * A set of IPs and CIDR ranges, IPv4 and IPv6, for `forwardedHeaders.trustedIPs`,
 * `ClientIP` rules and (later) allow lists. IPv4-mapped IPv6 counts as IPv4 on
 * both sides, so a rule and a dual-stack socket agree; an empty or malformed
 * address is never in the set.
 *
 * @throws Error naming the first entry that is neither an IP nor a CIDR (validation reports them first).
 * @example
 * const trusted = ipSet(['10.0.0.0/8', '::1'])
 * trusted.has('10.1.2.3') // true
 */
export function ipSet(entries: readonly string[]): { has(address: string): boolean } {
  const list = new BlockList()
  for (const entry of entries) {
    const range = parseRange(entry)
    if (range === null) throw new Error(`${JSON.stringify(entry)} is not an IP or CIDR`)
    if (range.prefix === undefined) list.addAddress(range.address, range.type)
    else list.addSubnet(range.address, range.prefix, range.type)
  }
  return {
    has(address) {
      const plain = unmapIPv4(address)
      const family = isIP(plain)
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}
