/**
 * The variables of one executing template: `$` and every `$x` in scope.
 * Go keeps one stack and searches it from the top; a stack per name plus a
 * log of declarations does the same in constant time per use, however many
 * variables a long template declares.
 */
export class Variables {
  readonly #values = new Map<string, unknown[]>()
  readonly #log: string[] = []

  /** Declares `name`, hiding any outer variable of that name until the scope ends. */
  push(name: string, value: unknown): void {
    let stack = this.#values.get(name)
    if (stack === undefined) this.#values.set(name, (stack = []))
    stack.push(value)
    this.#log.push(name)
  }

  /** The innermost value of `name`; `found` is false when it is not in scope. */
  get(name: string): { found: boolean; value: unknown } {
    const stack = this.#values.get(name)
    if (stack === undefined || stack.length === 0) return { found: false, value: undefined }
    return { found: true, value: stack[stack.length - 1] }
  }

  /** Assigns the innermost `name`; false when there is none. */
  set(name: string, value: unknown): boolean {
    const stack = this.#values.get(name)
    if (stack === undefined || stack.length === 0) return false
    stack[stack.length - 1] = value
    return true
  }

  mark(): number {
    return this.#log.length
  }

  /** Ends the scope opened at `mark`: variables declared since then are gone. */
  reset(mark: number): void {
    while (this.#log.length > mark) this.#values.get(this.#log.pop() ?? '')?.pop()
  }
}

/**
 * The variables in scope while parsing: a stack, with a count per name so
 * that checking a use costs the same with ten or a hundred thousand
 * variables declared.
 */
export class VarScope {
  readonly #stack: string[] = ['$']
  readonly #counts = new Map<string, number>([['$', 1]])

  push(name: string): void {
    this.#stack.push(name)
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1)
  }

  has(name: string): boolean {
    return (this.#counts.get(name) ?? 0) > 0
  }

  mark(): number {
    return this.#stack.length
  }

  /** Forgets every variable declared since `mark`. */
  reset(mark: number): void {
    while (this.#stack.length > mark) {
      const name = this.#stack.pop() ?? '$'
      this.#counts.set(name, (this.#counts.get(name) ?? 1) - 1)
    }
  }
}
