import { describe, expect, it } from 'vitest'
import { compileTemplate, TemplateError } from '../../../../src/config/template/index.ts'
import { maxNesting, parseTemplate, type ParseStats } from '../../../../src/config/template/parser.ts'
import { failure } from './render.ts'

describe('template parser: syntax errors name the line and column', () => {
  it.each([
    { desc: 'unknown function', input: 'a: {{ nope 1 }}', expected: 't:1:7: function "nope" not defined' },
    { desc: 'unknown function on a later line', input: 'a: 1\nb:\n  {{ sha256sum "x" }}', expected: 't:3:6: function "sha256sum" not defined' },
    { desc: 'undefined variable', input: '{{ $x }}', expected: 't:1:4: undefined variable "$x"' },
    { desc: 'variable used after its scope ended', input: '{{ if 1 }}{{ $x := 1 }}{{ end }}{{ $x }}', expected: 't:1:36: undefined variable "$x"' },
    { desc: 'empty action', input: '{{ }}', expected: 't:1:4: missing value for command' },
    { desc: 'if without a condition', input: '{{ if }}x{{ end }}', expected: 't:1:7: missing value for if' },
    { desc: 'unclosed if', input: '{{ if 1 }}x', expected: 't:1:12: unexpected EOF' },
    { desc: 'end without a start', input: 'x{{ end }}', expected: 't:1:5: unexpected {{end}}' },
    { desc: 'else at the top', input: '{{ else }}', expected: 't:1:4: unexpected {{else}}' },
    { desc: 'two elses', input: '{{ if 1 }}{{ else }}{{ else }}{{ end }}', expected: 't:1:24: expected {{end}}; found {{else}}' },
    { desc: 'else with inside if', input: '{{ if 1 }}{{ else with 2 }}{{ end }}', expected: 't:1:19: unexpected <with> in input' },
    { desc: 'break outside range', input: '{{ break }}', expected: 't:1:4: {{break}} outside {{range}}' },
    { desc: 'continue in the else of a range', input: '{{ range . }}{{ else }}{{ continue }}{{ end }}', expected: 't:1:27: {{continue}} outside {{range}}' },
    { desc: 'break with an argument', input: '{{ range . }}{{ break 1 }}{{ end }}', expected: 't:1:23: unexpected "1" in {{break}}' },
    { desc: 'constant piped into', input: '{{ 1 | 2 }}', expected: 't:1:8: non executable command in pipeline stage 2' },
    { desc: 'nil alone', input: '{{ nil }}', expected: 't:1:4: nil is not a command' },
    { desc: 'field after a constant', input: '{{ "a".B }}', expected: 't:1:4: unexpected . after a constant, nil or dot' },
    { desc: 'too many declarations', input: '{{ if $a, $b := 1 }}{{ end }}', expected: 't:1:9: too many declarations in if' },
    { desc: 'range declares variables only', input: '{{ range $a, 1 }}{{ end }}', expected: 't:1:14: range can only initialize variables' },
    { desc: 'unexpected token in operand', input: '{{ print 1, 2 }}', expected: 't:1:11: unexpected "," in operand' },
    { desc: 'define inside an action', input: '{{ if 1 }}{{ define "x" }}{{ end }}{{ end }}', expected: 't:1:14: unexpected {{define}}: templates are defined at the top level only' },
    { desc: 'template without a name', input: '{{ template x }}', expected: 't:1:13: unexpected "x" in template clause' },
    { desc: 'bad escape', input: '{{ "\\q" }}', expected: 't:1:4: unknown escape sequence \\q' },
    { desc: 'two characters in a character constant', input: "{{ 'ab' }}", expected: "t:1:4: malformed character constant: 'ab'" },
    { desc: 'complex number', input: '{{ 1i }}', expected: 't:1:4: complex numbers are not supported: 1i' },
    { desc: 'integer past 2^53', input: '{{ 9007199254740993 }}', expected: 't:1:4: number 9007199254740993 is too large to hold exactly' },
    { desc: 'octal-looking decimal', input: '{{ 089 }}', expected: 't:1:4: bad number syntax: "089"' },
    { desc: 'lexer error position', input: 'a\n {{ "x', expected: 't:2:5: unterminated quoted string' },
  ])('$desc', ({ input, expected }) => {
    expect(failure(input)).toBe(expected)
  })

  it('gives the error its code and its parts', () => {
    let caught: unknown
    try {
      compileTemplate('a\n  {{ nope }}', { name: 'dynamic.yml' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(TemplateError)
    const error = caught as TemplateError
    expect({ code: error.code, name: error.templateName, line: error.line, column: error.column, reason: error.reason, message: error.message }).toEqual({
      code: 'JCT_ERR_TEMPLATE',
      name: 'dynamic.yml',
      line: 2,
      column: 6,
      reason: 'function "nope" not defined',
      message: 'dynamic.yml:2:6: function "nope" not defined',
    })
  })

  it.each([
    { desc: 'parentheses', open: '{{ ', unit: '(', close: ')', end: ' }}', inner: '1' },
    { desc: 'if blocks', open: '', unit: '{{ if 1 }}', close: '{{ end }}', end: '', inner: 'x' },
    { desc: 'range blocks', open: '', unit: '{{ range 1 }}', close: '{{ end }}', end: '', inner: 'x' },
  ])('caps nesting of $desc at the limit, with a clear error past it', ({ open, unit, close, end, inner }) => {
    const nested = (depth: number): string => open + unit.repeat(depth) + inner + close.repeat(depth) + end
    expect(() => compileTemplate(nested(maxNesting))).not.toThrow()
    expect(failure(nested(maxNesting + 1))).toMatch(/^t:1:\d+: nesting deeper than 100 levels$/)
    // Far deeper than any stack could recurse: refused at the cap, not by a stack overflow.
    expect(failure(nested(100_000))).toMatch(/^t:1:\d+: nesting deeper than 100 levels$/)
  })

  it('keeps a long else-if chain flat: no nesting limit applies to it', () => {
    const chain = `{{ if eq . 0 }}0${Array.from({ length: 1000 }, (_, i) => `{{ else if eq . ${i + 1} }}${i + 1}`).join('')}{{ end }}`
    expect(compileTemplate(chain).render(777)).toBe('777')
  })
})

describe('template parser: linear time', () => {
  /** Token reads and tokens for `build(n)`, parsed with every function known. */
  function cost(text: string): ParseStats {
    const stats: ParseStats = { tokens: 0, reads: 0 }
    parseTemplate(text, () => true, stats)
    return stats
  }

  // Shapes that make naive parsers go quadratic: many variables in scope, long look-ahead, long runs of
  // spaces and trim markers, deep else-if chains, long pipelines, long literals.
  it.each([
    { desc: 'many declared variables, each used', build: (n: number) => Array.from({ length: n }, (_, i) => `{{ $v${i} := 1 }}{{ $v${i} }}{{ $ }}`).join('') },
    { desc: 'long pipelines', build: (n: number) => `{{ 1${' | f'.repeat(n)} }}` },
    { desc: 'many arguments', build: (n: number) => `{{ f${' $'.repeat(n)} }}` },
    { desc: 'runs of spaces and trim markers', build: (n: number) => `${' '.repeat(n)}{{- 1 -}}${' '.repeat(n)}{{${' '.repeat(n)}1${' '.repeat(n)}}}` },
    { desc: 'else-if chains', build: (n: number) => `{{ if 1 }}${'{{ else if 1 }}x'.repeat(n)}{{ end }}` },
    { desc: 'sibling blocks at the nesting limit', build: (n: number) => `${'{{ if 1 }}'.repeat(50)}${'{{ with 1 }}{{ $x := 1 }}{{ end }}'.repeat(n)}${'{{ end }}'.repeat(50)}` },
    { desc: 'long strings and comments', build: (n: number) => `{{ "${'a'.repeat(n)}" }}{{/* ${'*'.repeat(n)} */}}{{ \`${'b'.repeat(n)}\` }}` },
    { desc: 'text with lone braces', build: (n: number) => `${'{ } '.repeat(n)}{{ 1 }}` },
  ])('$desc: reads grow in proportion to the input', ({ build }) => {
    const small = build(500)
    const large = build(8000)
    const a = cost(small)
    const b = cost(large)
    // Each token is read a bounded number of times (look-ahead is at most three tokens)...
    expect(b.reads).toBeLessThanOrEqual(4 * b.tokens + 4)
    // ...there are no more tokens than characters...
    expect(b.tokens).toBeLessThanOrEqual(large.length + 1)
    // ...and sixteen times the input costs sixteen times the reads, not 256 times.
    expect(b.reads / large.length).toBeLessThanOrEqual((1.05 * a.reads) / small.length)
  })
})
