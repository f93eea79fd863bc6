import { collectionOfKind, collections, type KindOfReport, type ReportSection } from './catalogue.ts'
import type { ObjectError } from './validate-dynamic.ts'

/**
 * The runtime report: a status and error list per object, as Traefik's
 * `/api/http/routers` shows them. The engine fills it at each build; the API
 * and dashboard read it. One bad object is `disabled` here while everything
 * else stays live.
 */

export type ObjectStatus = 'enabled' | 'warning' | 'disabled'

/** What every object reports. */
export interface ObjectReport {
  status: ObjectStatus
  /** Why the object is disabled, or what it warns about. */
  errors: string[]
  /** The provider that declared it: `file` for `web@file`. */
  provider: string
  /** Services: `loadBalancer`, `weighted`, ...; middlewares: `stripPrefix`, `headers`, ... */
  type?: string
}

/** A router in the report. */
export interface RouterReport extends ObjectReport {
  /** The entry points the router listens on. */
  using: string[]
}

/** A service in the report. */
export interface ServiceReport extends ObjectReport {
  /** Routers (and services) using it. */
  usedBy: string[]
  /** Server URL or address → `UP` / `DOWN`, for load balancers with a health check. */
  serverStatus?: Record<string, 'UP' | 'DOWN'>
}

/** A middleware in the report. */
export interface MiddlewareReport extends ObjectReport {
  /** Routers using it. */
  usedBy: string[]
}

/** What an object of each kind reports: routers their entry points, services and middlewares their users. */
interface ReportOfKind {
  router: RouterReport
  service: ServiceReport
  middleware: MiddlewareReport
}

/** One section per collection of the catalogue, by qualified name (`web@file`); certificates by file path (or `#<index>` for inline PEM). */
export type CollectionReports = {
  [S in ReportSection]: Record<string, KindOfReport[S] extends keyof ReportOfKind ? ReportOfKind[KindOfReport[S]] : ObjectReport>
}

/** Every object of one generation, by section (see `catalogue.ts`). */
export interface RuntimeReport extends CollectionReports {
  /** The routing table generation this report describes. */
  generation: number
  /** Problems with a provider's source itself (a file that does not parse), by provider. */
  providers: Record<string, { problems: Array<{ source: string; message: string }> }>
}

export type { ReportSection } from './catalogue.ts'

/** An empty report. */
export function createRuntimeReport(generation = 0): RuntimeReport {
  const sections = Object.fromEntries(collections.map((collection) => [collection.report, {}])) as CollectionReports
  return { generation, providers: {}, ...sections }
}

/** `web@file` → `file`; `''` for an unqualified name. */
export function providerOf(qualifiedName: string): string {
  const at = qualifiedName.lastIndexOf('@')
  return at === -1 ? '' : qualifiedName.slice(at + 1)
}

/** A fresh `enabled` entry for a qualified name; add the section's own fields (`using`, `usedBy`) as needed. */
export function objectReport(qualifiedName: string): ObjectReport {
  return { status: 'enabled', errors: [], provider: providerOf(qualifiedName) }
}

/**
 * Adds an error to an object, as Traefik's `AddError(err, critical)`: a
 * critical error disables the object; otherwise an enabled object becomes
 * `warning`. A message already present is not repeated.
 */
export function addError(report: ObjectReport, message: string, critical: boolean): void {
  if (!report.errors.includes(message)) report.errors.push(message)
  if (critical) report.status = 'disabled'
  else if (report.status === 'enabled') report.status = 'warning'
}

/**
 * Records the objects validation or merging rejected as `disabled`, under
 * their qualified name. Errors without a section of their own (a certificate,
 * a whole unknown section) are returned for the caller to log.
 */
export function recordObjectErrors(report: RuntimeReport, provider: string, errors: readonly ObjectError[]): ObjectError[] {
  const unplaced: ObjectError[] = []
  for (const error of errors) {
    const collection = collectionOfKind(error.kind, error.protocol)
    // Certificates are named by file path once built, which an error found before cannot know.
    const section = collection?.kind === 'tlsCertificate' ? undefined : collection?.report
    if (section === undefined) {
      unplaced.push(error)
      continue
    }
    const owner = error.provider ?? provider
    const name = error.name.includes('@') || error.name === 'default' ? error.name : `${error.name}@${owner}`
    const entry = entryOf(report, section, name)
    entry.provider = owner
    addError(entry, error.message, true)
  }
  return unplaced
}

/**
 * The entry of one object, created `enabled` (with its section's lists) the
 * first time it is named.
 */
export function entryOf(report: RuntimeReport, section: ReportSection, name: string): ObjectReport {
  const entries = report[section] as Record<string, ObjectReport>
  return (entries[name] ??= withLists(section, objectReport(name), providerOf(name)))
}

const kindOf: ReadonlyMap<string, string> = new Map(collections.map((collection) => [collection.report, collection.kind]))

function withLists(section: ReportSection, entry: ObjectReport, provider: string): ObjectReport {
  const base = { ...entry, provider }
  const kind = kindOf.get(section)
  if (kind === 'router') {
    const router: RouterReport = { ...base, using: [] }
    return router
  }
  if (kind === 'service' || kind === 'middleware') {
    const used: MiddlewareReport = { ...base, usedBy: [] }
    return used
  }
  return base
}
