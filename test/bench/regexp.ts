/**
 * `npx node test/bench/regexp.ts`: what a regexp rule costs per match on the
 * engine rules run on (re2js, through compileRegexp) next to V8's native
 * RegExp, and how the cost of a pattern that is exponential on a
 * backtracking engine grows with the input. Not part of the test suite.
 */
import { compileRegexp, regexpEngine } from '../../src/rules/regexp.ts'

interface Case {
  readonly name: string
  readonly pattern: string
  readonly input: string
  readonly ignoreCase?: boolean
}

/** Patterns as they appear in rules, each valid in both syntaxes, on inputs a router sees. */
const typical: readonly Case[] = [
  { name: 'HostRegexp subdomain', pattern: '^[a-z0-9-]+\\.example\\.com$', input: 'api.example.com', ignoreCase: true },
  { name: 'HostRegexp miss', pattern: '^[a-z0-9-]+\\.example\\.com$', input: 'api.example.org', ignoreCase: true },
  { name: 'PathRegexp versioned id', pattern: '^/api/v[0-9]+/users/[0-9]+$', input: '/api/v2/users/42' },
  { name: 'PathRegexp extension', pattern: '\\.(css|js|png)$', input: '/static/app.js' },
  { name: 'PathRegexp prefix miss', pattern: '^/admin(/|$)', input: '/static/app.js' },
  { name: 'HeaderRegexp user agent', pattern: 'Firefox/[0-9]+', input: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0' },
  { name: 'QueryRegexp digits', pattern: '^[0-9]+$', input: '12345' },
]

const pathological = '^/(a+)+$'
const roundNanos = 50_000_000n
const rounds = 9
let sink = 0

interface Probe {
  readonly test: (input: string) => boolean
  readonly input: string
}

/**
 * Nanoseconds per call for each probe: the fastest of 9 rounds of at least
 * 50 ms, the probes taking turns within each round. On a shared virtual
 * machine the median swings between two levels (about 6 and 11 ns per
 * character on the pathological input) from one run to the next; the fastest
 * round is the one that measured the code rather than the neighbours.
 */
function nsPerCall(probes: readonly Probe[]): number[] {
  for (const { test, input } of probes) for (let i = 0; i < 100; i++) sink += test(input) ? 1 : 0
  const samples = probes.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    probes.forEach(({ test, input }, k) => {
      let calls = 0
      const start = process.hrtime.bigint()
      let elapsed = 0n
      while (elapsed < roundNanos) {
        for (let i = 0; i < 10; i++) sink += test(input) ? 1 : 0
        calls += 10
        elapsed = process.hrtime.bigint() - start
      }
      samples[k]?.push(Number(elapsed) / calls)
    })
  }
  return samples.map((values) => Math.min(...values))
}

/** Nanoseconds of one call, for inputs too slow to repeat. */
function nsOnce(test: (input: string) => boolean, input: string): number {
  const start = process.hrtime.bigint()
  sink += test(input) ? 1 : 0
  return Number(process.hrtime.bigint() - start)
}

function fixed(value: number, digits = 0): string {
  return value.toFixed(digits).padStart(9)
}

function typicalTable(): void {
  console.log(`| pattern | ${regexpEngine} ns/match | remembered ns/match | native RegExp ns/match | ${regexpEngine} ÷ native |`)
  console.log('|---|---:|---:|---:|---:|')
  for (const c of typical) {
    const rule = compileRegexp(c.pattern, { ignoreCase: c.ignoreCase === true })
    const native = new RegExp(c.pattern, c.ignoreCase === true ? 'i' : '')
    if (rule.test(c.input) !== native.test(c.input)) throw new Error(`engines disagree on ${c.name}`)
    // The engine itself, as on a rule's first sight of an input; then the rule, whose memo answers repeats.
    const [ours = 0, remembered = 0, theirs = 0] = nsPerCall([
      { test: (s) => rule.engine.test(s), input: c.input },
      { test: (s) => rule.test(s), input: c.input },
      { test: (s) => native.test(s), input: c.input },
    ])
    console.log(
      `| ${c.name} \`${c.pattern.replaceAll('|', '\\|')}\` | ${fixed(ours)} | ${fixed(remembered)} | ${fixed(theirs)} | ${fixed(ours / theirs, 1)} |`,
    )
  }
}

function growthTable(): void {
  const linear = compileRegexp(pathological)
  console.log(`\n\`${pathological}\` on \`/\` + n × \`a\` + \`b\` (no match), ${regexpEngine}:\n`)
  console.log('| n | µs/match | time(2n) / time(n) |')
  console.log('|---:|---:|---:|')
  const lengths = [50_000, 100_000, 200_000, 400_000]
  const nanos = nsPerCall(lengths.map((n) => ({ test: (s: string) => linear.test(s), input: `/${'a'.repeat(n)}b` })))
  lengths.forEach((n, i) => {
    const micros = (nanos[i] ?? 0) / 1000
    const ratio = i === 0 ? '' : fixed((nanos[i] ?? 0) / (nanos[i - 1] ?? 1), 2)
    console.log(`| ${n} | ${fixed(micros, 1)} | ${ratio} |`)
  })
  let previous = 0
  const native = new RegExp(pathological)
  for (let i = 0; i < 100; i++) sink += native.test(`/${'a'.repeat(10)}b`) ? 1 : 0 // JIT warm-up
  console.log('\nThe same on native RegExp (backtracking), one call each:\n')
  console.log('| n | ms | time(n) / time(n-2) |')
  console.log('|---:|---:|---:|')
  previous = 0
  for (const n of [16, 18, 20, 22, 24]) {
    const millis = nsOnce((s) => native.test(s), `/${'a'.repeat(n)}b`) / 1e6
    console.log(`| ${n} | ${fixed(millis, 2)} | ${previous === 0 ? '' : fixed(millis / previous, 2)} |`)
    previous = millis
  }
}

console.log(`# Regexp rules: ${regexpEngine} vs native RegExp (Node ${process.versions.node})\n`)
typicalTable()
growthTable()
if (sink < 0) console.log(sink)
