import type { SourceProblem } from './types.ts'

export type ObjectStatus = 'enabled' | 'warning' | 'disabled'

/** Status of one router, service or middleware, as the API and dashboard show it. */
export interface ObjectReport {
  status: ObjectStatus
  /** Why the object is disabled, or what it warns about. */
  errors: string[]
  /** The provider that declared it (`file`, `docker`, `internal`). */
  provider: string
  /** The kind: `loadBalancer`, `stripPrefix`, a router's entry points. */
  type?: string
  /** Routers: the entry points they listen on. Services and middlewares: the routers using them. */
  usedBy?: string[]
}

export interface RuntimeReport {
  readonly generation: number
  readonly routers: Record<string, ObjectReport>
  readonly services: Record<string, ObjectReport>
  readonly middlewares: Record<string, ObjectReport>
  readonly serversTransports: Record<string, ObjectReport>
  /** Problems with a provider's source itself (a file that does not parse). */
  readonly providers: Record<string, { problems: SourceProblem[] }>
}

export type ReportSection = 'routers' | 'services' | 'middlewares' | 'serversTransports'

export function emptyReport(generation: number): RuntimeReport {
  return { generation, routers: {}, services: {}, middlewares: {}, serversTransports: {}, providers: {} }
}

/** `web@file` → `file`. */
export function providerOf(qualified: string): string {
  const at = qualified.lastIndexOf('@')
  return at === -1 ? '' : qualified.slice(at + 1)
}

/** Records an object, or adds an error to it: `disabled` wins over `warning`. */
export function reportObject(
  report: RuntimeReport,
  section: ReportSection,
  name: string,
  status: ObjectStatus,
  error?: string,
): ObjectReport {
  const entry = (report[section][name] ??= { status, errors: [], provider: providerOf(name) })
  if (status === 'disabled' || (status === 'warning' && entry.status === 'enabled')) entry.status = status
  if (error !== undefined && !entry.errors.includes(error)) entry.errors.push(error)
  return entry
}
