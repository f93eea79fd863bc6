import { RE2JS } from 're2js'

/**
 * re2js gives every compiled regexp a lazy DFA whose state cache may grow to
 * 8 MiB, and clients choose the inputs that grow it: with many regexp routers
 * that is a memory denial of service. RE2JS.compile takes no limit (only
 * RE2Set does), so the budget is set on the DFA's own fields. When the cache
 * is full the DFA clears it and starts over, and falls back to the NFA if
 * that happens too often: both stay linear in the input.
 *
 * This is the one place that reaches into re2js internals (pinned version);
 * `test/unit/rules/regexp.test.ts` fails if they change shape.
 *
 * @throws Error when re2js no longer has the fields this relies on.
 * @example
 * limitDfaCache(RE2JS.compile('^/api/'), 256 * 1024)
 */
export function limitDfaCache(regexp: RE2JS, bytes: number): void {
  const dfa = regexp.re2().dfa
  if (typeof dfa?.stateBudget !== 'number' || typeof dfa.memBudget !== 'number' || typeof dfa.maxMem !== 'number') {
    throw new Error('limiting the re2js DFA cache: re2js internals changed (RE2.dfa maxMem/stateBudget/memBudget); check the pinned version')
  }
  // clearCache() refills memBudget from stateBudget, so both hold the limit.
  dfa.maxMem = bytes
  dfa.stateBudget = bytes
  dfa.memBudget = bytes
}

/**
 * Routing only asks whether a pattern matches, never for its groups, and for
 * that the lazy DFA is re2js's fastest engine; but re2js runs its one-pass
 * engine first whenever a pattern qualifies, captures or not: three times
 * slower on typical rules (`^/api/v[0-9]+/users/[0-9]+$`: 810 ns one-pass,
 * 260 ns DFA). Without the one-pass engine, matching goes to the DFA, then
 * (when its cache keeps overflowing) to the bounded backtracker or the NFA:
 * all linear, as before. Same pinned internals as {@link limitDfaCache}.
 *
 * @throws Error when re2js no longer has the field this relies on.
 * @example
 * preferDfa(RE2JS.compile('^/api/v[0-9]+/'))
 */
export function preferDfa(regexp: RE2JS): void {
  const re2 = regexp.re2() as unknown as { onepass?: unknown }
  if (!('onepass' in re2)) throw new Error('preferring the re2js DFA: re2js internals changed (RE2.onepass); check the pinned version')
  re2.onepass = null
}

/**
 * What the DFA cache of a regexp may hold and what it holds now, in re2js's
 * own accounting (bytes); for tests and diagnostics.
 *
 * @example
 * dfaCacheUse(compileRegexp('^/api/')) // { limit: 262144, used: 0 }
 */
export function dfaCacheUse(regexp: unknown): { limit: number; used: number } {
  if (!(regexp instanceof RE2JS)) throw new Error('dfa cache use: not an re2js regexp')
  const dfa = regexp.re2().dfa
  return { limit: dfa.stateBudget, used: dfa.stateBudget - dfa.memBudget }
}
