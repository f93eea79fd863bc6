/**
 * The SNI lookup of a certificate store: server names to entries, by hash
 * lookups only, so choosing among 10,000 certificates costs what choosing
 * among 10 does. Kept apart from certificate parsing so it can be tested
 * with plain entries.
 */

/**
 * A server name as the index compares it: lower-cased, without one trailing
 * dot (`A.Test.` is `a.test`). Certificate names and SNI values go through
 * the same function so they always meet.
 *
 * @example normaliseServerName('API.Example.test.') // 'api.example.test'
 */
export function normaliseServerName(name: string): string {
  const trimmed = name.charCodeAt(name.length - 1) === 0x2e /* . */ ? name.slice(0, -1) : name
  return trimmed.toLowerCase()
}

/**
 * Server names to entries. A name is exact (`a.b.test`) or a wildcard
 * (`*.b.test`, stored as written). {@link SniIndex.find} tries the exact
 * name, then the name with its first label replaced by `*`: that one extra
 * lookup is what makes a wildcard match exactly one label (`a.b.test`, not
 * `b.test` nor `x.a.b.test`).
 */
export class SniIndex<T> {
  readonly #entries = new Map<string, T>()

  /**
   * Gives `name` to `entry` unless an entry already holds it: the first
   * claim wins, as the first certificate configured does in Traefik.
   * Returns the entry that holds the name after the call; when that is not
   * `entry`, the claim was refused.
   */
  claim(name: string, entry: T): T {
    const key = normaliseServerName(name)
    const holder = this.#entries.get(key)
    if (holder !== undefined) return holder
    this.#entries.set(key, entry)
    return entry
  }

  /** The entry for an SNI server name: exact name first, then a wildcard for its first label; undefined when neither is held. */
  find(serverName: string): T | undefined {
    const name = normaliseServerName(serverName)
    const exact = this.#entries.get(name)
    if (exact !== undefined) return exact
    const dot = name.indexOf('.')
    // No dot: a single label, which no wildcard covers. A leading dot
    // leaves an empty first label, which is no label for `*` to stand for.
    if (dot <= 0) return undefined
    return this.#entries.get(`*${name.slice(dot)}`)
  }

  /** How many names are held. */
  get size(): number {
    return this.#entries.size
  }
}
