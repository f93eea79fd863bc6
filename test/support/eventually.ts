import { setTimeout as delay } from 'node:timers/promises'

/**
 * Retries an assertion until it passes or the deadline hits, then rethrows
 * its last error. Tests poll with this instead of sleeping.
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  { timeout = 5000, interval = 20 }: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      return await assertion()
    } catch (error) {
      if (Date.now() >= deadline) throw error
      await delay(interval)
    }
  }
}
