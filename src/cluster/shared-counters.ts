/**
 * Counters every worker of an instance reads and changes at once: the
 * shared-decision channel. A limit written on them (a rate limit's budget,
 * `inFlightReq`'s amount, least-connections' in-flight counts) holds for the
 * whole instance rather than per worker.
 *
 * They live in one SharedArrayBuffer the control plane allocates and hands
 * to every worker thread: an open-addressing table of (key hash, value)
 * entries. A change is one short critical section under a spin lock (hash,
 * probe, add), with no message and no await, so it costs well under a
 * microsecond on the request path. A counter that falls back to zero frees
 * its entry, so keys that come and go (client addresses) do not fill the
 * table; a full table is refused with `undefined`, which the caller treats as
 * "no shared state" and says so.
 */

/** Int32 words per entry: hash high, hash low, value, state. */
const entryWords = 4
const emptyState = 0
const usedState = 1
/** A freed entry: lookups probe past it, inserts may reuse it. */
const deletedState = 2
/** A sequence's entry: its value is the index of the sequence's word, which never moves. */
const sequenceState = 3
/** Words before the table: the lock, used entries, freed entries, the hash seed, sequences handed out. */
const headerWords = 5
const lockWord = 0
const usedWord = 1
const deletedWord = 2
const seedWord = 3
const sequencesWord = 4
/** Lock owner 0 means free; owners are `threadId + 1`. */
const free = 0
/** How long a waiter waits before it checks the owner is still alive, in ms. */
const lockCheckMs = 50

/** A buffer for `capacity` counters (rounded up to a power of two), and a quarter as many sequences. */
export function createSharedCounterBuffer(capacity = 16_384): SharedArrayBuffer {
  let size = 1
  while (size < capacity) size *= 2
  const buffer = new SharedArrayBuffer((headerWords + size * entryWords + size / 4) * Int32Array.BYTES_PER_ELEMENT)
  // A seed nobody outside knows: keys come from clients (addresses, headers), who must not be able to pick colliding ones.
  new Int32Array(buffer)[seedWord] = (Math.random() * 0x1_0000_0000) | 0
  return buffer
}

/** One worker's view of the shared counters. */
export class SharedCounters {
  readonly #words: Int32Array
  readonly #size: number
  readonly #owner: number
  readonly #seed: number
  readonly #alive: (owner: number) => boolean

  /**
   * @param owner this thread's id (`worker_threads.threadId`), which the lock records.
   * @param alive whether the thread holding the lock still runs; a lock whose
   *   owner died mid-section (a worker terminated) is taken over, not waited on forever.
   */
  constructor(buffer: SharedArrayBuffer, owner: number, alive: (owner: number) => boolean = () => true) {
    this.#words = new Int32Array(buffer)
    this.#size = (this.#words.length - headerWords) / (entryWords + 0.25)
    this.#owner = owner + 1
    this.#seed = this.#words[seedWord] as number
    this.#alive = (word) => alive(word - 1)
  }

  /** How many counters are in use (not zero). */
  get used(): number {
    return Atomics.load(this.#words, usedWord)
  }

  /**
   * Adds `delta` to the counter `key` and returns its new value, or
   * `undefined` when the key is new and the table is full.
   *
   * @example
   * if ((counters.add('limit@file|10.0.0.1', 1) ?? 0) > amount) counters.add('limit@file|10.0.0.1', -1) // over the limit
   */
  add(key: string, delta: number): number | undefined {
    const [high, low] = hashKey(key, this.#seed)
    this.#lock()
    try {
      const entry = this.#find(high, low, delta !== 0)
      // Adding 0 to a key not in the table reads it: 0, not "the table is full".
      if (entry < 0) return delta === 0 ? 0 : undefined
      const words = this.#words
      const value = (words[entry + 2] as number) + delta
      if (words[entry + 3] === sequenceState) throw new Error(`shared counter ${key}: the key names a sequence`)
      if (value === 0) this.#free(entry)
      else words[entry + 2] = value
      return value
    } finally {
      this.#unlock()
    }
  }

  /**
   * A counter that only goes up, for picks every worker takes turns on (a
   * round robin's position): `next()` is one atomic add, with no lock and
   * no hashing. `undefined` when every sequence is handed out. Its key is
   * never freed, so keep sequences to configured objects (services), not
   * to what clients send.
   *
   * @example
   * const next = counters.sequence('wrr:app@file') // then, per request: servers[next() % servers.length]
   */
  sequence(key: string): (() => number) | undefined {
    const [high, low] = hashKey(key, this.#seed)
    this.#lock()
    let word: number
    try {
      const entry = this.#find(high, low, true)
      if (entry < 0) return undefined
      const words = this.#words
      if (words[entry + 3] !== sequenceState) {
        if (words[entry + 2] !== 0) throw new Error(`shared counter ${key}: the key names a counter, not a sequence`)
        const handed = words[sequencesWord] as number
        if (handed >= this.#size / 4) {
          if (words[entry + 2] === 0) this.#free(entry)
          return undefined
        }
        words[sequencesWord] = handed + 1
        words[entry + 2] = handed
        words[entry + 3] = sequenceState
      }
      word = headerWords + this.#size * entryWords + (words[entry + 2] as number)
    } finally {
      this.#unlock()
    }
    const words = this.#words
    // Unsigned: the word wraps after 2^32 turns, and a position must not go negative.
    return () => Atomics.add(words, word, 1) >>> 0
  }

  /** The counter's value now (0 for a key never set, or back to zero). */
  get(key: string): number {
    const [high, low] = hashKey(key, this.#seed)
    this.#lock()
    try {
      const entry = this.#find(high, low, false)
      return entry < 0 ? 0 : (this.#words[entry + 2] as number)
    } finally {
      this.#unlock()
    }
  }

  /**
   * The entry for the hash, or -1. With `create`, a missing key takes the
   * first free or deleted entry on its probe path (value 0, state used).
   */
  #find(high: number, low: number, create: boolean): number {
    const words = this.#words
    const mask = this.#size - 1
    let reusable = -1
    for (let probe = 0, slot = low & mask; probe < this.#size; probe++, slot = (slot + 1) & mask) {
      const entry = headerWords + slot * entryWords
      const state = words[entry + 3]
      if (state === emptyState) {
        if (!create) return -1
        return this.#claim(reusable < 0 ? entry : reusable, high, low)
      }
      if (state === deletedState) {
        if (reusable < 0) reusable = entry
        continue
      }
      if (words[entry] === high && words[entry + 1] === low) return entry
    }
    return create && reusable >= 0 ? this.#claim(reusable, high, low) : -1
  }

  #free(entry: number): void {
    const words = this.#words
    words[entry + 3] = deletedState
    words[usedWord] = (words[usedWord] as number) - 1
    words[deletedWord] = (words[deletedWord] as number) + 1
  }

  #claim(entry: number, high: number, low: number): number {
    const words = this.#words
    if (words[entry + 3] === deletedState) words[deletedWord] = (words[deletedWord] as number) - 1
    else if ((words[usedWord] as number) + (words[deletedWord] as number) + 1 > this.#size * 0.75) return this.#compact(high, low)
    words[entry] = high
    words[entry + 1] = low
    words[entry + 2] = 0
    words[entry + 3] = usedState
    words[usedWord] = (words[usedWord] as number) + 1
    return entry
  }

  /**
   * Drops the freed entries so probes stay short (a miss stops at the first
   * empty entry), then claims the key anew; -1 when the live entries alone
   * fill three quarters of the table.
   */
  #compact(high: number, low: number): number {
    const words = this.#words
    const live: Array<[number, number, number, number]> = []
    for (let slot = 0; slot < this.#size; slot++) {
      const entry = headerWords + slot * entryWords
      const state = words[entry + 3] as number
      if (state === usedState || state === sequenceState) live.push([words[entry] as number, words[entry + 1] as number, words[entry + 2] as number, state])
    }
    if (live.length + 1 > this.#size * 0.75) return -1
    // The sequences' own words, after the table, stay where they are.
    words.fill(0, headerWords, headerWords + this.#size * entryWords)
    words[usedWord] = 0
    words[deletedWord] = 0
    for (const [h, l, value, state] of live) {
      const entry = this.#find(h, l, true)
      words[entry + 2] = value
      words[entry + 3] = state
    }
    return this.#find(high, low, true)
  }

  #lock(): void {
    const words = this.#words
    for (;;) {
      const holder = Atomics.compareExchange(words, lockWord, free, this.#owner)
      if (holder === free) return
      // Sections are a few hundred instructions: a waiter almost never sleeps the whole wait.
      if (Atomics.wait(words, lockWord, holder, lockCheckMs) === 'timed-out' && !this.#alive(holder)) {
        Atomics.compareExchange(words, lockWord, holder, free)
      }
    }
  }

  #unlock(): void {
    Atomics.store(this.#words, lockWord, free)
    Atomics.notify(this.#words, lockWord, 1)
  }
}

/**
 * A seeded 64-bit hash of the key's UTF-16 code units, as two 32-bit
 * multiply-xorshift lanes with a final mix: two distinct keys among a
 * million share an entry with odds around one in thirty million, and
 * without the seed nobody can choose keys that pile onto one probe path.
 */
function hashKey(key: string, seed: number): [number, number] {
  let high = 0x811c9dc5 ^ seed
  let low = 0x9e3779b9 ^ Math.imul(seed, 0x85ebca6b)
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i)
    high = Math.imul(high ^ unit, 0x01000193)
    low = Math.imul(low ^ unit, 0x5bd1e995)
    low ^= low >>> 13
  }
  return [mix(high ^ key.length), mix(low)]
}

/** murmur3's 32-bit finalizer: every input bit reaches every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) | 0
}
