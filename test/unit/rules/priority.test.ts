import { describe, expect, it } from 'vitest'
import { compileHttpRule } from '../../../src/rules/http-matcher.ts'
import { compareRouters, rulePriority } from '../../../src/rules/priority.ts'

describe('rulePriority', () => {
  it.each<{ desc: string; rule: string; explicit: number | undefined; expected: number }>([
    { desc: 'defaults to the rule length', rule: 'Host(`a.test`)', explicit: undefined, expected: 14 },
    { desc: 'counts bytes, as Go does', rule: 'Path(`/é`)', explicit: undefined, expected: 11 },
    { desc: 'explicit priority wins', rule: 'Host(`a.test`)', explicit: 100, expected: 100 },
    { desc: 'explicit 0 means default', rule: 'Host(`a.test`)', explicit: 0, expected: 14 },
    { desc: 'negative means default', rule: 'Host(`a.test`)', explicit: -5, expected: 14 },
    { desc: 'explicit priority may be lower than the length', rule: 'Host(`a.test`)', explicit: 1, expected: 1 },
  ])('$desc', ({ rule, explicit, expected }) => {
    expect(rulePriority(rule, explicit)).toBe(expected)
    expect(compileHttpRule(rule, explicit).priority).toBe(expected)
  })
})

describe('compareRouters', () => {
  it.each([
    {
      desc: 'higher priority first',
      input: [{ name: 'low', priority: 1 }, { name: 'high', priority: 10 }, { name: 'mid', priority: 5 }],
      expected: ['high', 'mid', 'low'],
    },
    {
      desc: 'ties by name, ascending',
      input: [{ name: 'b@file', priority: 7 }, { name: 'a@file', priority: 7 }, { name: 'a@docker', priority: 7 }],
      expected: ['a@docker', 'a@file', 'b@file'],
    },
    {
      desc: 'priority before name',
      input: [{ name: 'a', priority: 1 }, { name: 'z', priority: 2 }],
      expected: ['z', 'a'],
    },
    {
      desc: 'names compare by code unit (upper-case first)',
      input: [{ name: 'b', priority: 3 }, { name: 'B', priority: 3 }],
      expected: ['B', 'b'],
    },
  ])('$desc', ({ input, expected }) => {
    expect([...input].sort(compareRouters).map((r) => r.name)).toEqual(expected)
  })

  it('orders longer rules first by default, as Traefik does', () => {
    const rules = { catchAll: 'PathPrefix(`/`)', api: 'Host(`shop.test`) && PathPrefix(`/api`)', site: 'Host(`shop.test`)' }
    const routers = Object.entries(rules).map(([name, rule]) => ({ name, priority: compileHttpRule(rule).priority }))
    expect(routers.sort(compareRouters).map((r) => r.name)).toEqual(['api', 'site', 'catchAll'])
  })
})
