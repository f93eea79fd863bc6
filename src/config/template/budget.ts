import { LimitError } from './template-error.ts'

/** What one render may spend. */
export interface Budget {
  /** Steps left; a step is one node, one command, one iteration, or a share of a function's work. */
  steps: number
  readonly maxSteps: number
  /** Largest output, and largest string any function may build, in UTF-8 bytes. */
  readonly maxBytes: number
}

/** 16 MiB: the largest dynamic file anyone writes is a few MiB. */
export const defaultMaxOutputBytes = 16 * 1024 * 1024
/** A million steps render 10,000 routers from a loop with room to spare, in well under a second. */
export const defaultMaxSteps = 1_000_000
/** Characters of a string that one step pays for when a function walks or builds it. */
const charsPerStep = 64

/**
 * Functions are plain `(...args) => value` (the shape custom functions
 * have too), so the render they run in is found here rather than passed
 * along. Rendering is synchronous, and a render started inside another (a
 * custom function rendering a template) restores the outer one when done.
 * Outside any render, strings are still bounded and steps are not counted.
 */
let active: Budget = { steps: Number.POSITIVE_INFINITY, maxSteps: Number.POSITIVE_INFINITY, maxBytes: defaultMaxOutputBytes }

/** Runs `body` with `budget` as the active one. */
export function withBudget<T>(budget: Budget, body: () => T): T {
  const previous = active
  active = budget
  try {
    return body()
  } finally {
    active = previous
  }
}

/** Spends `units` steps, or throws once the budget is spent. */
export function charge(units: number): void {
  active.steps -= units
  if (active.steps < 0) throw new LimitError(`evaluation exceeds ${active.maxSteps} steps (maxSteps)`)
}

/**
 * Checks, before it is built, that a string of `bytes` UTF-8 bytes fits,
 * and pays for building it: `repeat 1000000000 "x"` fails here, without
 * allocating anything.
 */
export function chargeString(bytes: number): void {
  if (bytes > active.maxBytes) throw new LimitError(`a string of ${bytes} bytes exceeds ${active.maxBytes} bytes (maxOutputBytes)`)
  charge(Math.ceil(bytes / charsPerStep))
}

/** The largest string a function may build, in UTF-8 bytes. */
export function maxStringBytes(): number {
  return active.maxBytes
}
