import { ipSet } from '../net/ip.ts'

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
  let set: { has(address: string): boolean }
  try {
    set = ipSet([value])
  } catch {
    return null
  }
  const memo = new Map<string, boolean>()
  return (clientIp) => {
    let answer = memo.get(clientIp)
    if (answer === undefined) {
      if (memo.size >= memoLimit) memo.clear()
      answer = set.has(clientIp)
      memo.set(clientIp, answer)
    }
    return answer
  }
}
