import { describe, expect, it } from 'vitest'
import { muxTemplate, type TemplateKind } from '../../../src/rules/mux-template.ts'

describe('muxTemplate', () => {
  it.each<{ desc: string; template: string; kind: TemplateKind; expected: string }>([
    { desc: 'host text is literal', template: 'a.example.com', kind: 'host', expected: '^a\\.example\\.com$' },
    { desc: 'bare host variable is one label', template: '{sub}.example.com', kind: 'host', expected: '^(?P<v0>[^.]+)\\.example\\.com$' },
    { desc: 'host variable with a pattern', template: '{sub:[a-z]+}.example.com', kind: 'host', expected: '^(?P<v0>[a-z]+)\\.example\\.com$' },
    { desc: 'bare path variable is one segment', template: '/users/{id}', kind: 'path', expected: '^/users/(?P<v0>[^/]+)$' },
    { desc: 'path prefix is not anchored at the end', template: '/css-{n:[0-9]?}', kind: 'pathPrefix', expected: '^/css-(?P<v0>[0-9]?)' },
    { desc: 'nested braces in a pattern', template: '/id/{id:[0-9]{3}}', kind: 'path', expected: '^/id/(?P<v0>[0-9]{3})$' },
    { desc: 'two variables', template: '/{a}/{b:[0-9]+}', kind: 'path', expected: '^/(?P<v0>[^/]+)/(?P<v1>[0-9]+)$' },
    { desc: 'metacharacters in text are quoted', template: '/a+b(c)|[d]^$', kind: 'path', expected: '^/a\\+b\\(c\\)\\|\\[d\\]\\^\\$$' },
    { desc: 'query value', template: 'mobile=true', kind: 'query', expected: '^mobile=true$' },
    { desc: 'query with an empty value takes any value', template: 'debug=', kind: 'query', expected: '^debug=.*$' },
    { desc: 'bare query variable takes anything', template: 'id={id}', kind: 'query', expected: '^id=(?P<v0>.*)$' },
  ])('$desc', ({ template, kind, expected }) => {
    expect(muxTemplate(template, kind).pattern).toBe(expected)
  })

  it('names the variables and their patterns', () => {
    expect(muxTemplate('{sub}.{domain:[a-z]+}.com', 'host').variables).toEqual([
      { name: 'sub', pattern: '[^.]+' },
      { name: 'domain', pattern: '[a-z]+' },
    ])
  })

  it.each([
    { desc: 'unclosed brace', template: '/{id', expected: 'mux: unbalanced braces in "/{id"' },
    { desc: 'closing brace first', template: '/id}', expected: 'mux: unbalanced braces in "/id}"' },
    { desc: 'missing name', template: '/{:[0-9]+}', expected: 'mux: missing name or pattern in "{:[0-9]+}"' },
    { desc: 'missing pattern', template: '/{id:}', expected: 'mux: missing name or pattern in "{id:}"' },
  ])('refuses $desc', ({ template, expected }) => {
    expect(() => muxTemplate(template, 'path')).toThrow(expected)
  })
})
