import { charge } from './budget.ts'
import { LimitError } from './template-error.ts'

/** Characters of output one step pays for. */
const charsPerStep = 64

/**
 * Where text accumulates, for the output and for any string a function
 * builds: it counts UTF-8 bytes as they come and stops at `limit`, so a
 * value that would print to gigabytes (a list nested in itself 40 times)
 * fails once the limit is passed, not after the memory is gone. Each write
 * also pays steps, so many small writes cost what they do.
 */
export class Sink {
  readonly #parts: string[] = []
  readonly #limit: number
  readonly #overflow: (limit: number) => string
  #bytes = 0

  constructor(limit: number, overflow: (limit: number) => string) {
    this.#limit = limit
    this.#overflow = overflow
  }

  write(text: string): void {
    if (text === '') return
    this.#bytes += Buffer.byteLength(text, 'utf8')
    if (this.#bytes > this.#limit) throw new LimitError(this.#overflow(this.#limit))
    charge(1 + Math.floor(text.length / charsPerStep))
    this.#parts.push(text)
  }

  get bytes(): number {
    return this.#bytes
  }

  toString(): string {
    return this.#parts.join('')
  }
}
