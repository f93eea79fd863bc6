import { describe, expect, it } from 'vitest'
import { compileTemplate } from '../../../../src/config/template/index.ts'
import { defaultMaxOutputBytes, defaultMaxSteps } from '../../../../src/config/template/budget.ts'
import { maxExecDepth } from '../../../../src/config/template/exec.ts'
import { maxValueDepth } from '../../../../src/config/template/fmt-value.ts'
import { failure, render } from './render.ts'

const mib16 = 16 * 1024 * 1024

/** The fewest steps with which `text` renders: found by bisection, every probe a real render. */
function stepsNeeded(text: string): number {
  let low = 1
  let high = 1
  while (!renders(text, high)) high *= 2
  while (low < high) {
    const middle = Math.floor((low + high) / 2)
    if (renders(text, middle)) high = middle
    else low = middle + 1
  }
  return low
}

function renders(text: string, maxSteps: number): boolean {
  try {
    compileTemplate(text).render(false, { maxSteps })
    return true
  } catch {
    return false
  }
}

describe('render limits', () => {
  it('defaults to 16 MiB of output and a million steps', () => {
    expect([defaultMaxOutputBytes, defaultMaxSteps]).toEqual([mib16, 1_000_000])
  })

  it.each([
    { desc: 'a range over a billion items fails on its steps, before building the list', input: '{{ range until 1000000000 }}x{{ end }}', expected: 't:1:10: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'a range over a billion as an integer', input: '{{ range 1000000000 }}{{ end }}', expected: 't:1:10: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'a billion repeats fail before the string is built', input: '{{ repeat 1000000000 "x" }}', expected: `t:1:4: a string of 1000000000 bytes exceeds ${mib16} bytes (maxOutputBytes)` },
    { desc: 'a huge indent fails before the string is built', input: '{{ indent 1000000000 "a" }}', expected: `t:1:4: a string of 1000000001 bytes exceeds ${mib16} bytes (maxOutputBytes)` },
    { desc: 'a huge seq fails on its steps', input: '{{ seq 100000000 }}', expected: 't:1:4: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'an output growing past the limit', input: '{{ range until 100000 }}{{ repeat 1000 "x" }}{{ end }}', expected: `t:1:28: output exceeds ${mib16} bytes (maxOutputBytes)` },
    { desc: 'a list doubled in itself forty times, printed: a terabyte of text, stopped after a million steps', input: '{{ $x := list 1 }}{{ range until 40 }}{{ $x = list $x $x }}{{ end }}{{ $x }}', expected: 't:1:72: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'a list doubled by concat thirty times: the copies pay steps', input: '{{ $x := list "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }}{{ range until 30 }}{{ $x = concat $x $x }}{{ end }}{{ $x }}', expected: 't:1:80: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'a dict holding itself, printed', input: '{{ $d := dict }}{{ $_ := set $d "me" $d }}{{ $d }}', expected: `t:1:46: value nested deeper than ${maxValueDepth} levels` },
    { desc: 'a dict holding itself, compared', input: '{{ $d := dict }}{{ $_ := set $d "me" $d }}{{ has $d (list $d) }}', expected: `t:1:46: value nested deeper than ${maxValueDepth} levels` },
    { desc: 'a template calling itself', input: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', expected: `t:1:17: executing at <{{ template "r" . }}>: exceeded the maximum template depth (${maxExecDepth})` },
    { desc: 'a quadratic copy in a loop', input: '{{ $x := list }}{{ range until 5000 }}{{ $x = append $x . }}{{ end }}', expected: 't:1:47: evaluation exceeds 1000000 steps (maxSteps)' },
    { desc: 'printf widths past Go\'s limit', input: '{{ printf "%10000000d" 1 }}', expected: '' },
  ])('$desc', ({ input, expected }) => {
    if (expected === '') expect(render(input)).toBe('%!(BADWIDTH)1')
    else expect(failure(input)).toBe(expected)
  })

  it('counts output in UTF-8 bytes', () => {
    expect(render('ééé', false, { maxOutputBytes: 6 })).toBe('ééé')
    expect(failure('ééé', false, { maxOutputBytes: 5 })).toBe('t:1:1: output exceeds 5 bytes (maxOutputBytes)')
  })

  it('takes the limits given for one render', () => {
    expect(failure('{{ range until 10 }}{{ . }}{{ end }}', false, { maxSteps: 20 })).toBe('t:1:24: evaluation exceeds 20 steps (maxSteps)')
    expect(render('{{ range until 10 }}{{ . }}{{ end }}', false, { maxSteps: 100 })).toBe('0123456789')
  })

  it.each([{ maxSteps: 0 }, { maxSteps: 1.5 }, { maxOutputBytes: -1 }])('refuses a limit that is not a positive integer: %o', (limits) => {
    expect(() => compileTemplate('x').render(false, limits)).toThrow(RangeError)
  })

  it('keeps the outer budget when a function renders another template', () => {
    const inner = compileTemplate('{{ range until 50 }}x{{ end }}')
    const functions = { inner: () => inner.render(false, { maxSteps: 1000 }) }
    const outer = compileTemplate('{{ range until 3 }}{{ inner }}{{ end }}', { functions })
    expect(outer.render(false, { maxSteps: 100 })).toBe('x'.repeat(150))
    expect(() => outer.render(false, { maxSteps: 10 })).toThrow('template:1:23: evaluation exceeds 10 steps (maxSteps)')
  })

  it.each([
    { desc: 'ranges', build: (n: number) => `{{ range $i, $e := until ${n} }}router{{ $e }}: {{ printf "%03d" $i }}\n{{ end }}` },
    { desc: 'nested ifs in a loop', build: (n: number) => `{{ range until ${n} }}{{ if eq (mod . 2) 0 }}even{{ else }}odd{{ end }}{{ end }}` },
    { desc: 'variables and assignment', build: (n: number) => `{{ $sum := 0 }}{{ range until ${n} }}{{ $sum = add $sum . }}{{ end }}{{ $sum }}` },
    { desc: 'map ranges', build: (n: number) => `{{ $d := dict }}{{ range until ${n} }}{{ $_ := set $d (toString .) . }}{{ end }}{{ range $k, $v := $d }}{{ $k }}{{ end }}` },
  ])('spends steps in proportion to the work: $desc', ({ build }) => {
    const small = stepsNeeded(build(100))
    const large = stepsNeeded(build(1000))
    expect(large / small).toBeGreaterThan(9)
    expect(large / small).toBeLessThan(11)
  })

  it('renders a 10,000-router file within the default limits', () => {
    const template = 'http:\n  routers:\n{{ range $i := until 10000 }}    r{{ $i }}:\n      rule: "Host(`{{ $i }}.example.com`)"\n      service: s\n{{ end }}'
    expect(render(template).split('\n').length).toBe(2 + 3 * 10000 + 1)
  })
})
