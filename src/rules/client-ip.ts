import { BlockList, isIP } from 'node:net'

/**
 * BlockList.check parses the address in C++ on every call (~0.65 µs); a
 * client sends many requests from one address, so answers are remembered.
 * The memo is bounded and simply starts over when full.
 */
const memoLimit = 1024

/**
 * Builds the test for a `ClientIP` argument: one IP or one CIDR, IPv4 or
 * IPv6. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as IPv4 on both sides, so
 * a rule and a dual-stack socket agree. Empty or malformed client addresses
 * never match. Returns null when the argument is neither an IP nor a CIDR
 * (zones such as `%eth0` are refused, as Go refuses them).
 */
export function clientIpMatcher(value: string): ((clientIp: string) => boolean) | null {
  const list = parseClientIp(value)
  if (list === null) return null
  const memo = new Map<string, boolean>()
  return (clientIp) => {
    let answer = memo.get(clientIp)
    if (answer === undefined) {
      if (memo.size >= memoLimit) memo.clear()
      answer = contains(list, clientIp)
      memo.set(clientIp, answer)
    }
    return answer
  }
}

function parseClientIp(value: string): BlockList | null {
  const slash = value.indexOf('/')
  const written = slash === -1 ? value : value.slice(0, slash)
  const address = unmapIPv4(written)
  const family = isIP(address)
  if (family === 0 || address.includes('%')) return null
  const type = family === 4 ? 'ipv4' : 'ipv6'
  const list = new BlockList()
  if (slash === -1) {
    list.addAddress(address, type)
    return list
  }
  const bits = value.slice(slash + 1)
  // A mapped CIDR (::ffff:10.0.0.0/104) counts its prefix over the IPv6 form.
  const prefix = Number(bits) - (address === written ? 0 : 96)
  if (!/^\d{1,3}$/.test(bits) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return null
  list.addSubnet(address, prefix, type)
  return list
}

function contains(list: BlockList, clientIp: string): boolean {
  const address = unmapIPv4(clientIp)
  const family = isIP(address)
  if (family === 0) return false
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

function unmapIPv4(address: string): string {
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:' && isIP(address.slice(7)) === 4) return address.slice(7)
  return address
}
