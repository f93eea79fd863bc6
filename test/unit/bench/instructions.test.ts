import { describe, expect, it } from 'vitest'
import { subjects } from '../../bench/instructions.ts'
import { parseSettings } from '../../bench/lib/settings.ts'

const summary = (env: NodeJS.ProcessEnv): string[] =>
  subjects('/src/junction', parseSettings(env, '/out.md')).map(
    (s) => `${s.target.name} ${s.before ? 'before' : 'this'} ${s.root} ${s.sizes.join(',')}${s.host ? ` host ${s.host}` : ''}`,
  )

describe('instructions subjects', () => {
  it.each([
    {
      desc: 'each Junction target at its sizes, then node:http at both',
      input: {},
      expected: [
        'junction this /src/junction small,16k',
        'junction-regexp this /src/junction small,16k',
        'junction-host-routers this /src/junction small host h9999.test',
        'node-http this /src/junction small,16k',
      ],
    },
    {
      desc: 'with a checkout to compare, each Junction target of it right after the same one of this checkout',
      input: { BENCH_COMPARE_ROOT: '/src/junction-before', BENCH_ROUTERS: '500' },
      expected: [
        'junction this /src/junction small,16k',
        'junction before /src/junction-before small,16k',
        'junction-regexp this /src/junction small,16k',
        'junction-regexp before /src/junction-before small,16k',
        'junction-host-routers this /src/junction small host h499.test',
        'junction-host-routers before /src/junction-before small host h499.test',
        'node-http this /src/junction small,16k',
      ],
    },
  ])('$desc', ({ input, expected }) => {
    expect(summary(input)).toEqual(expected)
  })
})
