/**
 * How many arguments a matcher takes: a list of counts (`[1, 2]`), or at
 * least some, optionally in groups (`{ atLeast: 2, step: 2 }` for name/value
 * pairs).
 */
export type Arity = readonly number[] | { readonly atLeast: number; readonly step?: number }

/**
 * What an argument is, so shared code can check it and the engine can index
 * by it: `host` is an exact host name (indexed), `hostPattern` a regexp or
 * template matched against the host (ASCII, case-insensitive), `regexp` a Go
 * regexp, `path` a path that starts with `/`, `ip` an IP or CIDR, `text`
 * anything else.
 */
export type ArgKind = 'host' | 'hostPattern' | 'regexp' | 'path' | 'ip' | 'text'

/** One matcher of a rule dialect. */
export interface MatcherSpec {
  /** The name as Traefik registers it (`PathPrefix`). */
  readonly name: string
  readonly arity: Arity
  /** The kind of each argument; a variadic matcher repeats the list (`Headers`: name, value, name, value…). */
  readonly args: readonly ArgKind[]
}

/** The matchers of a dialect by every spelling a rule may use; see {@link matcherTable}. */
export type MatcherTable<S extends MatcherSpec = MatcherSpec> = ReadonlyMap<string, S>

/**
 * Builds a dialect's table. Traefik registers every matcher under four
 * spellings (as written, lower, upper, and capitalised lower: `PathPrefix`,
 * `pathprefix`, `PATHPREFIX`, `Pathprefix`); rules in the wild rely on it.
 *
 * @example
 * const tcp = matcherTable([{ name: 'HostSNI', arity: { atLeast: 1 }, args: ['host'], build: hostSni }])
 * parseRule('HostSNI(`a.test`)', tcp)
 */
export function matcherTable<S extends MatcherSpec>(specs: readonly S[]): MatcherTable<S> {
  const table = new Map<string, S>()
  for (const spec of specs) {
    const lower = spec.name.toLowerCase()
    for (const spelling of [spec.name, lower, spec.name.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)]) {
      table.set(spelling, spec)
    }
  }
  return table
}

/** Whether a matcher takes `count` arguments. */
export function acceptsArgCount(arity: Arity, count: number): boolean {
  if (isList(arity)) return arity.includes(count)
  return count >= arity.atLeast && (count - arity.atLeast) % (arity.step ?? 1) === 0
}

/**
 * The counts a matcher takes, for error messages.
 *
 * @example
 * describeArity([1, 2]) // '1 or 2 arguments'
 * describeArity({ atLeast: 2, step: 2 }) // '2, 4, … arguments'
 */
export function describeArity(arity: Arity): string {
  if (isList(arity)) {
    const counts = arity.join(' or ')
    return `${counts} argument${arity.length === 1 && arity[0] === 1 ? '' : 's'}`
  }
  if (arity.step === undefined || arity.step === 1) return `${arity.atLeast} or more arguments`
  return `${arity.atLeast}, ${arity.atLeast + arity.step}, … arguments`
}

/** The kind of argument `index` of a matcher. */
export function argKind(spec: MatcherSpec, index: number): ArgKind {
  return spec.args[index % spec.args.length] ?? 'text'
}

function isList(arity: Arity): arity is readonly number[] {
  return Array.isArray(arity)
}
