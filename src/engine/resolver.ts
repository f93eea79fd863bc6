/**
 * Builds named objects on demand, each once, so an object can ask for the
 * ones it refers to and get them built first: dependency order without a
 * separate sort. A reference that comes back to an object still being built
 * is a cycle; every object on it fails with the same message.
 */
export class Resolver<T> {
  readonly #kind: string
  readonly #exists: (name: string) => boolean
  readonly #create: (name: string) => T
  readonly #stack: string[] = []
  readonly #done = new Map<string, { value: T } | { error: string }>()
  readonly #cycles = new Map<string, string>()

  /**
   * @param kind `middleware` or `service`, for messages.
   * @param create builds one object; throws with the reason when it cannot.
   */
  constructor(kind: string, exists: (name: string) => boolean, create: (name: string) => T) {
    this.#kind = kind
    this.#exists = exists
    this.#create = create
  }

  /**
   * The object `name`, built now if need be.
   *
   * @throws Error saying it does not exist, is disabled (and why), or closes a cycle.
   */
  get(name: string): T {
    const done = this.#done.get(name)
    if (done !== undefined) {
      if ('value' in done) return done.value
      throw new Error(`${this.#kind} "${name}" is disabled: ${done.error}`)
    }
    if (!this.#exists(name)) throw new Error(`${this.#kind} "${name}" does not exist`)
    const at = this.#stack.indexOf(name)
    if (at !== -1) {
      const members = this.#stack.slice(at)
      const message = `reference cycle: ${[...members, name].join(' → ')}`
      for (const member of members) this.#cycles.set(member, message)
      throw new Error(message)
    }
    this.#stack.push(name)
    try {
      const value = this.#create(name)
      this.#done.set(name, { value })
      return value
    } catch (error) {
      const message = this.#cycles.get(name) ?? (error as Error).message
      this.#done.set(name, { error: message })
      throw new Error(message, { cause: error })
    } finally {
      this.#stack.pop()
    }
  }

  /** Builds `name` if need be and says how it went, without throwing. */
  settle(name: string): { value: T } | { error: string } {
    try {
      return { value: this.get(name) }
    } catch {
      return this.#done.get(name) ?? { error: `${this.#kind} "${name}" does not exist` }
    }
  }
}
