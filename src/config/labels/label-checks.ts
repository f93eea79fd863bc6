import { isPlainObject } from '../plain-data.ts'
import { compileHttpRule, type RuleSyntax } from '../../rules/http-matcher.ts'

/**
 * What a label must satisfy beyond decoding, checked label by label so the
 * problem names the label as written. A workload with one such label is not
 * routed at all: routing it without that label would route it differently
 * from what its owner wrote (a router without its rule, a service without
 * its port), and the engine, which judges objects one by one, could not say
 * which label to fix.
 *
 * - object names carry no `@`: Junction names each object `name@provider`;
 * - values carry no CR, LF or NUL, which could split a header, a request
 *   line or a log line (a rule, where a line break is only white space, and
 *   inline PEM for the default certificate are the exceptions; NUL never);
 * - a server `port` is a port number;
 * - an HTTP router's `rule` parses, in the syntax the router names, or in
 *   either syntax when it names none (the static `core.defaultRuleSyntax`,
 *   which decides, is the engine's to apply).
 */

const collections = new Set(['routers', 'services', 'middlewares', 'serverstransports'])
const lineBreak = /[\r\n]/
const serverSegment = /^servers?(\[\d+\])?$/

/**
 * The problem with one label, or undefined. `rest` is the key after the
 * prefix (`http.routers.web.rule`); `config` is what the labels decoded to.
 *
 * @example
 * checkLabel('http.routers.a@b.rule', 'Path(`/`)', {}) // 'a name must not contain "@": …'
 */
export function checkLabel(rest: string, value: string, config: Record<string, unknown>): string | undefined {
  const segments = rest.split('.')
  const lower = segments.map((segment) => segment.toLowerCase())
  const name = segments[2] ?? ''
  if (collections.has(lower[1] ?? '') && name.includes('@')) {
    return `a name must not contain "@": Junction names every object itself as name@provider`
  }
  if (value.includes('\0')) return 'the value contains NUL: refused'
  if (lineBreak.test(value) && !mayBreakLines(lower)) {
    return 'the value contains a line break (CR or LF), which could split a header or a request: refused'
  }
  if (isServerPort(lower)) return checkPort(value)
  if (lower.length === 4 && lower[0] === 'http' && lower[1] === 'routers' && lower[3] === 'rule' && value.trim() !== '') {
    return checkRule(value, ruleSyntaxOf(config, name))
  }
  return undefined
}

function mayBreakLines(lower: readonly string[]): boolean {
  if (lower.length === 4 && lower[1] === 'routers' && lower[3] === 'rule') return true
  return lower[0] === 'tls' && lower[3] === 'defaultcertificate' && (lower[4] === 'certfile' || lower[4] === 'keyfile')
}

function isServerPort(lower: readonly string[]): boolean {
  return lower[1] === 'services' && lower[3] === 'loadbalancer' && serverSegment.test(lower[4] ?? '') && lower.at(-1) === 'port'
}

function checkPort(value: string): string | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0
  return port >= 1 && port <= 65535 ? undefined : `expected a port number (1-65535), got ${JSON.stringify(value)}`
}

/**
 * Answers already given, by syntax and rule. The provider rebuilds its whole
 * snapshot at every change, and compiling a rule's regexps is most of what
 * checking it costs (a third of a 500-container build); a rule seen before
 * is answered by a lookup. Bounded: rules up to 1 KiB, 4,096 answers (a few
 * MiB at worst), forgotten all at once when full.
 */
const checked = new Map<string, string | undefined>()
const memoRuleLength = 1024
const memoEntries = 4096

function checkRule(rule: string, syntax: RuleSyntax | undefined): string | undefined {
  if (rule.length > memoRuleLength) return compileRule(rule, syntax)
  const key = `${syntax ?? ''} ${rule}`
  if (checked.has(key)) return checked.get(key)
  const answer = compileRule(rule, syntax)
  if (checked.size >= memoEntries) checked.clear()
  checked.set(key, answer)
  return answer
}

function compileRule(rule: string, syntax: RuleSyntax | undefined): string | undefined {
  const tried = syntax === undefined ? (['v3', 'v2'] as const) : [syntax]
  let first: string | undefined
  for (const candidate of tried) {
    try {
      compileHttpRule(rule, undefined, candidate)
      return undefined
    } catch (error) {
      first ??= (error as Error).message
    }
  }
  return first
}

function ruleSyntaxOf(config: Record<string, unknown>, router: string): RuleSyntax | undefined {
  const http = config['http']
  const routers = isPlainObject(http) ? http['routers'] : undefined
  const entry = isPlainObject(routers) && Object.hasOwn(routers, router) ? routers[router] : undefined
  const syntax = isPlainObject(entry) ? entry['ruleSyntax'] : undefined
  return syntax === 'v2' || syntax === 'v3' || syntax === 'default' ? syntax : undefined
}
