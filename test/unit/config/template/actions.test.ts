import { describe, expect, it } from 'vitest'
import { render } from './render.ts'

/** A struct in Go's sense: unknown fields are errors, methods can be called. */
class Container {
  readonly Name = 'web'
  readonly Labels = { tier: 'front' }
  Greet(who: string): string {
    return `hello ${who}`
  }
}

describe('template actions', () => {
  it.each([
    { desc: 'text alone', input: 'a: 1\n', data: false, expected: 'a: 1\n' },
    { desc: 'trim markers on both sides', input: 'a:  {{- " x " -}}  \n b', data: false, expected: 'a: x b' },
    { desc: 'comments print nothing', input: 'a{{/* note */}}b{{- /* trimmed */ -}} c', data: false, expected: 'abc' },
    { desc: 'string escapes as in Go', input: '{{ "tab\\there \\"q\\" \\x41\\u00e9\\U0001F600 \\101" }}', data: false, expected: 'tab\there "q" Aé😀 A' },
    { desc: 'raw strings keep backslashes', input: '{{ `a\\nb` }}', data: false, expected: 'a\\nb' },
    { desc: 'character constants are numbers', input: "{{ 'a' }} {{ '\\n' }}", data: false, expected: '97 10' },
    { desc: 'numbers in Go syntax', input: '{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ -3 }} {{ 1.5 }} {{ 2.0 }}', data: false, expected: '31 15 15 5 1000 -3 1.5 2' },
    { desc: 'booleans and dot', input: '{{ true }} {{ false }} {{ . }}', data: false, expected: 'true false false' },
    { desc: 'fields of maps, nested', input: '{{ .a.b.c }}', data: { a: { b: { c: 'deep' } } }, expected: 'deep' },
    { desc: 'a missing map key is no value', input: '{{ .missing }}|{{ .a.missing }}|{{ .missing.deeper }}', data: { a: {} }, expected: '<no value>|<no value>|<no value>' },
    { desc: 'a missing key passed to a function is nil', input: '{{ print .missing }}', data: {}, expected: '<nil>' },
    { desc: 'a null value prints as no value', input: '{{ .a }}', data: { a: null }, expected: '<no value>' },
    { desc: 'object keys are not inherited', input: '{{ .constructor }}{{ .toString }}', data: {}, expected: '<no value><no value>' },
    { desc: 'a Map is a map', input: '{{ .k }} {{ index . "k" }}', data: new Map([['k', 'v']]), expected: 'v v' },
    { desc: 'struct fields and methods', input: '{{ .Name }} {{ .Labels.tier }} {{ .Greet "you" }} {{ "pipe" | .Greet }}', data: new Container(), expected: 'web front hello you hello pipe' },
    { desc: '$ is the data everywhere', input: '{{ range (list 1 2) }}{{ $.n }}{{ . }}{{ end }}', data: { n: 'x' }, expected: 'x1x2' },
    { desc: 'declaration prints nothing', input: '{{ $x := "a" }}[{{ $x }}]', data: false, expected: '[a]' },
    { desc: 'assignment changes the outer variable', input: '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', data: false, expected: '2' },
    { desc: 'a declaration inside a block shadows until end', input: '{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}', data: false, expected: '21' },
    { desc: 'variable fields', input: '{{ $m := dict "k" (dict "j" 5) }}{{ $m.k.j }}', data: false, expected: '5' },
    { desc: 'pipeline: the value goes last', input: '{{ "a" | printf "%s-%s" "b" }}', data: false, expected: 'b-a' },
    { desc: 'pipeline of several stages', input: '{{ "  x  " | trim | upper | printf "[%s]" }}', data: false, expected: '[X]' },
    { desc: 'parenthesised pipelines', input: '{{ printf "%d" (add 1 (mul 2 3)) }}', data: false, expected: '7' },
    { desc: 'fields of a parenthesised value', input: '{{ (dict "a" (dict "b" 3)).a.b }}', data: false, expected: '3' },
    { desc: 'a function result field', input: '{{ (index .items 0).name }}', data: { items: [{ name: 'first' }] }, expected: 'first' },
    { desc: 'declaration inside parentheses', input: '{{ print ($x := 5) $x }}', data: false, expected: '5 5' },
  ])('$desc', ({ input, data, expected }) => {
    expect(render(input, data)).toBe(expected)
  })
})

describe('template control structures', () => {
  it.each([
    { desc: 'if true', input: '{{ if 1 }}yes{{ end }}', data: false, expected: 'yes' },
    { desc: 'if false prints nothing', input: '{{ if 0 }}yes{{ end }}', data: false, expected: '' },
    { desc: 'if else', input: '{{ if "" }}a{{ else }}b{{ end }}', data: false, expected: 'b' },
    { desc: 'else if chain takes the first true branch', input: '{{ if eq . 1 }}one{{ else if eq . 2 }}two{{ else if eq . 2 }}again{{ else }}many{{ end }}', data: 2, expected: 'two' },
    { desc: 'else if chain falls to else', input: '{{ if eq . 1 }}one{{ else if eq . 2 }}two{{ else }}many{{ end }}', data: 3, expected: 'many' },
    { desc: 'variables declared in the condition', input: '{{ if $v := .a }}{{ $v }}{{ end }}', data: { a: 'set' }, expected: 'set' },
    { desc: 'with sets dot', input: '{{ with .a }}{{ .b }}{{ end }}', data: { a: { b: 'in' } }, expected: 'in' },
    { desc: 'with on an empty value takes else', input: '{{ with .a }}x{{ else }}none{{ end }}', data: { a: [] }, expected: 'none' },
    { desc: 'else with', input: '{{ with .a }}a{{ else with .b }}b={{ . }}{{ else }}none{{ end }}', data: { b: 7 }, expected: 'b=7' },
    { desc: 'range over a list', input: '{{ range . }}[{{ . }}]{{ end }}', data: ['a', 'b'], expected: '[a][b]' },
    { desc: 'range with index and element', input: '{{ range $i, $e := . }}{{ $i }}={{ $e }} {{ end }}', data: ['a', 'b'], expected: '0=a 1=b ' },
    { desc: 'range with one variable gets the element', input: '{{ range $e := . }}{{ $e }}{{ end }}', data: ['a', 'b'], expected: 'ab' },
    { desc: 'range over a map, keys sorted', input: '{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}', data: { b: 2, c: 3, a: 1 }, expected: 'a=1;b=2;c=3;' },
    { desc: 'range over an integer (Go 1.22)', input: '{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}', data: false, expected: '012|01' },
    { desc: 'range over until, as the Traefik docs do', input: '{{ range $i, $e := until 3 }}r{{ $e }} {{ end }}', data: false, expected: 'r0 r1 r2 ' },
    { desc: 'range over nothing takes else', input: '{{ range . }}x{{ else }}empty{{ end }}', data: [], expected: 'empty' },
    { desc: 'range over no value takes else', input: '{{ range .missing }}x{{ else }}empty{{ end }}', data: {}, expected: 'empty' },
    { desc: 'range over zero takes else', input: '{{ range 0 }}x{{ else }}empty{{ end }}', data: false, expected: 'empty' },
    { desc: 'break', input: '{{ range . }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}', data: [1, 2, 3, 4], expected: '12' },
    { desc: 'continue', input: '{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}', data: [1, 2, 3], expected: '13' },
    { desc: 'break in a nested range ends the inner one only', input: '{{ range (list 1 2) }}{{ range (list 1 2 3) }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}', data: false, expected: '1;1;' },
    { desc: 'variables of one iteration are gone at the next', input: '{{ $x := 0 }}{{ range (list 1 2) }}{{ $x := . }}{{ $x }}{{ end }}{{ $x }}', data: false, expected: '120' },
    { desc: 'assignment in a range reaches outside', input: '{{ $sum := 0 }}{{ range (list 1 2 3) }}{{ $sum = add $sum . }}{{ end }}{{ $sum }}', data: false, expected: '6' },
    { desc: 'define and template', input: '{{ define "item" }}<{{ . }}>{{ end }}{{ template "item" "a" }}{{ template "item" 1 }}', data: false, expected: '<a><1>' },
    { desc: 'template without a pipeline gets no value', input: '{{ define "x" }}{{ . }}{{ end }}{{ template "x" }}', data: false, expected: '<no value>' },
    { desc: 'a defined template has its own $', input: '{{ define "x" }}{{ $ }}{{ end }}{{ template "x" 5 }}', data: 'outer', expected: '5' },
    { desc: 'block defines and calls', input: '{{ block "b" . }}[{{ . }}]{{ end }}', data: 'v', expected: '[v]' },
    { desc: 'a later define replaces a block body', input: '{{ block "b" . }}default{{ end }}{{ define "b" }}custom{{ end }}', data: false, expected: 'custom' },
    { desc: 'recursion in a defined template', input: '{{ define "c" }}{{ . }}{{ if gt . 0 }}{{ template "c" (sub . 1) }}{{ end }}{{ end }}{{ template "c" 3 }}', data: false, expected: '3210' },
  ])('$desc', ({ input, data, expected }) => {
    expect(render(input, data)).toBe(expected)
  })

  it.each([
    { value: false, truth: false },
    { value: true, truth: true },
    { value: 0, truth: false },
    { value: -1, truth: true },
    { value: 0.5, truth: true },
    { value: '', truth: false },
    { value: 'x', truth: true },
    { value: [], truth: false },
    { value: [0], truth: true },
    { value: {}, truth: false },
    { value: { a: 1 }, truth: true },
    { value: null, truth: false },
    { value: new Container(), truth: true },
  ])("Go's truth of $value is $truth", ({ value, truth }) => {
    expect(render('{{ if .v }}true{{ else }}false{{ end }}', { v: value })).toBe(String(truth))
  })
})
