/**
 * When certificates are renewed, and how soon an order that failed is tried
 * again.
 */

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

/** How long before expiry a certificate is renewed, and how often that is checked. */
export interface RenewSchedule {
  readonly before: number
  readonly every: number
}

/**
 * Traefik's `getCertificateRenewDurations`, from the resolver's
 * `certificatesDuration` in hours: 90-day certificates are renewed 30 days
 * before they expire, checked daily; shorter ones proportionally sooner.
 *
 * @example renewSchedule(2160) // { before: 30 days, every: 1 day } in milliseconds
 */
export function renewSchedule(certificatesDuration: number): RenewSchedule {
  if (certificatesDuration >= 365 * 24) return { before: 4 * 30 * day, every: 7 * day }
  if (certificatesDuration >= 3 * 30 * 24) return { before: 30 * day, every: day }
  if (certificatesDuration >= 30 * 24) return { before: 10 * day, every: 12 * hour }
  if (certificatesDuration >= 6 * 24) return { before: 2 * day, every: 2 * hour }
  if (certificatesDuration >= 24) return { before: 6 * hour, every: 10 * minute }
  return { before: 20 * minute, every: minute }
}

/** Whether a certificate expiring at `notAfter` is due for renewal at `now` (milliseconds). */
export function renewalDue(notAfter: number, now: number, schedule: RenewSchedule): boolean {
  return notAfter - now < schedule.before
}

/** The first wait after a failed order; it doubles with each failure. */
export const firstRetry = 5 * minute
/** The longest wait between two orders for the same names. */
export const longestRetry = 6 * hour

/**
 * Failed orders per domain set, with the time the next one may start:
 * 5 minutes after the first failure, then 10, 20, 40… up to 6 hours. So at
 * most four orders for one set of names go out in any hour, under Let's
 * Encrypt's five failed validations per hostname and hour.
 */
export class Backoff {
  readonly #failures = new Map<string, { count: number; next: number }>()

  /** When an order for `key` may start (0: now). */
  nextAttempt(key: string): number {
    return this.#failures.get(key)?.next ?? 0
  }

  /** Records a failure at `now`; returns when the next order may start. */
  failed(key: string, now: number): number {
    const count = (this.#failures.get(key)?.count ?? 0) + 1
    const next = now + Math.min(firstRetry * 2 ** (count - 1), longestRetry)
    this.#failures.set(key, { count, next })
    return next
  }

  succeeded(key: string): void {
    this.#failures.delete(key)
  }

  /** Forgets keys no longer wanted, so the table holds only what the configuration asks. */
  keep(keys: ReadonlySet<string>): void {
    for (const key of this.#failures.keys()) if (!keys.has(key)) this.#failures.delete(key)
  }
}
