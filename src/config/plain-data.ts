/**
 * Helpers for the plain data configuration is made of (parsed YAML, TOML,
 * JSON, decoded flat keys), shared by the config code and, through
 * `src/plugin.ts`, by providers and middlewares.
 */

/**
 * Sets an own property, even for `__proto__`, which a plain assignment would
 * treat as the prototype (user-named keys come from labels and files). Only
 * that name needs `defineProperty`; assignment keeps the common case fast,
 * which matters for 10,000-router snapshots.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
  else target[key] = value
}

/** True for `{...}` values (not arrays, not null, not class instances such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
