import { describe, expect, it } from 'vitest'
import { subjects } from '../../bench/instructions.ts'
import { parseSettings } from '../../bench/lib/settings.ts'

const summary = (env: NodeJS.ProcessEnv): string[] =>
  subjects('/work/main', parseSettings(env, '/out.md')).map(
    (s) => `${s.target.name} ${s.before ? 'before' : 'this'} ${s.root} ${s.sizes.join(',')}${s.host ? ` host ${s.host}` : ''}`,
  )

describe('instructions subjects', () => {
  it.each([
    {
      desc: 'each Junction target at its sizes, then node:http at both',
      input: {},
      expected: [
        'junction this /work/main small,16k',
        'junction-regexp this /work/main small,16k',
        'junction-host-routers this /work/main small host h9999.test',
        'node-http this /work/main small,16k',
      ],
    },
    {
      desc: 'with a checkout to compare, each Junction target of it right after the same one of this checkout',
      input: { BENCH_COMPARE_ROOT: '/work/wt-old', BENCH_ROUTERS: '500' },
      expected: [
        'junction this /work/main small,16k',
        'junction before /work/wt-old small,16k',
        'junction-regexp this /work/main small,16k',
        'junction-regexp before /work/wt-old small,16k',
        'junction-host-routers this /work/main small host h499.test',
        'junction-host-routers before /work/wt-old small host h499.test',
        'node-http this /work/main small,16k',
      ],
    },
  ])('$desc', ({ input, expected }) => {
    expect(summary(input)).toEqual(expected)
  })
})
