import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/errors.ts'
import { compileTemplate, TemplateError, templateFunctions } from '../../../../src/config/template/index.ts'
import { failure, render } from './render.ts'

class Service {
  readonly Name = 'api'
}

describe('render errors name the template, line, column and node', () => {
  it.each([
    { desc: 'a field of false (what file templates get as data)', input: 'a: {{ .Name }}', data: false, expected: "t:1:7: executing at <.Name>: can't evaluate field Name in type bool" },
    { desc: 'a field of a string', input: '{{ .a.b }}', data: { a: 's' }, expected: "t:1:4: executing at <.a.b>: can't evaluate field b in type string" },
    { desc: 'a field of nil', input: '{{ .a.b }}', data: { a: null }, expected: 't:1:4: executing at <.a.b>: nil pointer evaluating interface {}.b' },
    { desc: 'an unknown field of a struct', input: '{{ .Nmae }}', data: new Service(), expected: "t:1:4: executing at <.Nmae>: can't evaluate field Nmae in type Service" },
    { desc: 'arguments to a map key', input: '{{ .a 1 }}', data: { a: 1 }, expected: 't:1:4: executing at <.a>: a is not a method but has arguments' },
    { desc: 'arguments to a constant', input: '{{ "x" 1 }}', data: false, expected: 't:1:4: executing at <"x">: can\'t give argument to non-function "x"' },
    { desc: 'a value piped into a variable', input: '{{ $x := 1 }}{{ 2 | $x }}', data: false, expected: "t:1:21: executing at <$x>: can't give argument to non-function $x" },
    { desc: 'range over a string', input: '{{ range "abc" }}{{ end }}', data: false, expected: 't:1:10: executing at <"abc">: range can\'t iterate over string value' },
    { desc: 'range over an integer with two variables', input: '{{ range $i, $e := 3 }}{{ end }}', data: false, expected: "t:1:10: executing at <$i, $e := 3>: can't use 3 to iterate over more than one variable" },
    { desc: 'a template not defined', input: '{{ template "nope" . }}', data: false, expected: 't:1:1: executing at <{{ template "nope" . }}>: no such template "nope"' },
    { desc: 'printing a function', input: '{{ .f }}', data: { f: () => 1 }, expected: "t:1:1: executing at <{{ .f }}>: can't print a value of type func" },
    { desc: 'assigning a variable not in scope at run time', input: '{{ if false }}{{ $y := 1 }}{{ else }}{{ $y = 2 }}{{ end }}', data: false, expected: 't:1:41: executing at <$y = 2>: undefined variable: $y' },
    { desc: 'an error on a later line and column', input: 'http:\n  routers:\n    r: {{ index (list) 0 }}', data: false, expected: 't:3:11: executing at <index (list) 0>: error calling index: index out of range: 0' },
  ])('$desc', ({ input, data, expected }) => {
    expect(failure(input, data)).toBe(expected)
  })

  it('is a JunctionError with code JCT_ERR_TEMPLATE, keeping the cause a function threw', () => {
    const boom = new Error('boom')
    let caught: unknown
    try {
      const explode = (): never => {
        throw boom
      }
      compileTemplate('x\n{{ explode 1 }}', { name: 'rule', functions: { explode } }).render(null)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(JunctionError)
    expect(caught).toBeInstanceOf(TemplateError)
    const error = caught as TemplateError
    expect([error.code, error.message, error.cause]).toEqual(['JCT_ERR_TEMPLATE', 'rule:2:4: executing at <explode 1>: error calling explode: boom', boom])
  })
})

describe('compileTemplate options', () => {
  it('uses Go builtins, Sprig and normalize when no functions are given', () => {
    expect(render('{{ normalize "a.b" | upper | printf "%s!" }}')).toBe('A-B!')
  })

  it('adds the functions given to the defaults, and lets them replace one', () => {
    const functions = { shout: (text: unknown) => `${String(text)}!`, upper: () => 'replaced' }
    expect(render('{{ shout "hi" }} {{ upper "x" }} {{ lower "Y" }}', false, { functions })).toBe('hi! replaced y')
  })

  it('passes custom functions arguments as they are, a missing value as null', () => {
    const seen: unknown[][] = []
    const spy = (...args: unknown[]): string => {
      seen.push(args)
      return 'ok'
    }
    render('{{ spy 1 "a" (list 2) .missing }}{{ "p" | spy }}', {}, { functions: { spy } })
    expect(seen).toEqual([[1, 'a', [2], null], ['p']])
  })

  it('knows a custom function only in the template it was given to', () => {
    expect(failure('{{ shout 1 }}')).toBe('t:1:4: function "shout" not defined')
  })

  it.each([
    { desc: 'a name that is no identifier', functions: { 'bad-name': () => 1 }, expected: 'template function name "bad-name" is not a valid identifier' },
    { desc: 'a value that is no function', functions: { notFn: 1 as unknown as () => unknown }, expected: 'template function notFn: expected a function, got number' },
  ])('refuses $desc', ({ functions, expected }) => {
    expect(() => compileTemplate('x', { functions })).toThrow(new TypeError(expected))
  })

  it('names an unnamed template "template"', () => {
    expect(() => compileTemplate('{{ nope }}')).toThrow('template:1:4: function "nope" not defined')
  })

  it('renders the same parsed template many times, with different data', () => {
    const template = compileTemplate('Host(`{{ normalize .Name }}.local`)')
    expect(['a_b', 'c.d'].map((Name) => template.render({ Name }))).toEqual(['Host(`a-b.local`)', 'Host(`c-d.local`)'])
  })

  it('exposes a frozen function table', () => {
    expect(Object.isFrozen(templateFunctions)).toBe(true)
  })
})
