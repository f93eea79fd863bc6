import { describe, expect, it } from 'vitest'
import { failure, render } from './render.ts'

describe("Go's template builtins", () => {
  it.each([
    { desc: 'and returns the first false argument', input: '{{ and 1 0 2 }}', expected: '0' },
    { desc: 'and returns the last when all are true', input: '{{ and 1 "x" 2 }}', expected: '2' },
    { desc: 'or returns the first true argument', input: '{{ or 0 "" "x" 3 }}', expected: 'x' },
    { desc: 'or returns the last when none is true', input: '{{ or 0 "" }}', expected: '' },
    { desc: 'and stops evaluating at the first false', input: '{{ and 0 (fail "never evaluated") }}', expected: '0' },
    { desc: 'or stops evaluating at the first true', input: '{{ or 1 (fail "never evaluated") }}', expected: '1' },
    { desc: 'and with a piped value', input: '{{ 5 | and 1 }}', expected: '5' },
    { desc: 'not', input: '{{ not 0 }} {{ not "x" }}', expected: 'true false' },
    { desc: 'len of a string counts UTF-8 bytes', input: '{{ len "héllo" }}', expected: '6' },
    { desc: 'len of lists and maps', input: '{{ len (list 1 2 3) }} {{ len (dict "a" 1) }}', expected: '3 1' },
    { desc: 'index of lists, maps and strings', input: '{{ index (list 10 20) 1 }} {{ index (dict "k" "v") "k" }} {{ index "abc" 1 }}', expected: '20 v 98' },
    { desc: 'index with several keys', input: '{{ index . "a" 1 "b" }}', data: { a: [0, { b: 'deep' }] }, expected: 'deep' },
    { desc: 'index of a missing key is nil', input: '{{ index (dict) "k" }}|{{ print (index (dict) "k") }}', expected: '<no value>|<nil>' },
    { desc: 'slice of a list (Sprig)', input: '{{ slice (list 1 2 3 4) 1 3 }} {{ slice (list 1 2 3) 1 }} {{ slice (list 1 2) }}', expected: '[2 3] [2 3] [1 2]' },
    { desc: 'slice of a string (Go, byte offsets)', input: '{{ slice "abcdef" 1 4 }} {{ slice "abc" 1 }}', expected: 'bcd bc' },
    { desc: 'print adds spaces between operands that are not strings', input: '{{ print "a" "b" 1 2 "c" 3 }}', expected: 'ab1 2c3' },
    { desc: 'println separates with spaces and ends the line', input: '{{ println "a" 1 }}', expected: 'a 1\n' },
    { desc: 'eq with several candidates', input: '{{ eq 2 1 2 }} {{ eq "a" "b" "c" }}', expected: 'true false' },
    { desc: 'eq and ne on strings, numbers, booleans', input: '{{ eq "a" "a" }} {{ ne 1 2 }} {{ eq true true }} {{ eq 1.5 1.5 }}', expected: 'true true true true' },
    { desc: 'eq with nil', input: '{{ eq .missing nil }} {{ eq nil "a" }}', data: {}, expected: 'true false' },
    { desc: 'ordering of numbers and strings', input: '{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2 }}', expected: 'true true true false' },
    { desc: 'html escapes', input: `{{ html "<a href='x'>\\"&\\"</a>" }}`, expected: '&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/a&gt;' },
    { desc: 'js escapes', input: `{{ js "it's <b>\\"x\\" & y=1\\n" }}`, expected: "it\\'s \\u003Cb\\u003E\\\"x\\\" \\u0026 y\\u003D1\\u000A" },
    { desc: 'urlquery escapes', input: '{{ urlquery "a b&c/é?" }}', expected: 'a+b%26c%2F%C3%A9%3F' },
    { desc: 'html of several arguments joins them as print does', input: '{{ html "<" 1 2 }}', expected: '&lt;1 2' },
  ])('$desc', ({ input, data, expected }) => {
    expect(render(input, data ?? false)).toBe(expected)
  })

  it.each([
    { desc: 'index out of range', input: '{{ index (list 1) 3 }}', expected: 't:1:4: executing at <index (list 1) 3>: error calling index: index out of range: 3' },
    { desc: 'index of nil', input: '{{ index nil 1 }}', expected: 't:1:4: executing at <index nil 1>: error calling index: index of untyped nil' },
    { desc: 'index of a number', input: '{{ index 5 1 }}', expected: "t:1:4: executing at <index 5 1>: error calling index: can't index item of type int" },
    { desc: 'index of a list by a string', input: '{{ index (list 1) "a" }}', expected: 't:1:4: executing at <index (list 1) "a">: error calling index: cannot index slice/array with type string' },
    { desc: 'len of a number', input: '{{ len 3 }}', expected: 't:1:4: executing at <len 3>: error calling len: len of type int' },
    { desc: 'slice out of range', input: '{{ slice (list 1 2) 1 5 }}', expected: 't:1:4: executing at <slice (list 1 2) 1 5>: error calling slice: slice bounds out of range [1:5] with length 2' },
    { desc: 'eq of different kinds', input: '{{ eq 1 "1" }}', expected: 't:1:4: executing at <eq 1 "1">: error calling eq: incompatible types for comparison' },
    { desc: 'eq of lists', input: '{{ eq (list) (list) }}', expected: 't:1:4: executing at <eq (list) (list)>: error calling eq: non-comparable types []interface {} and []interface {}' },
    { desc: 'lt of booleans', input: '{{ lt true false }}', expected: 't:1:4: executing at <lt true false>: error calling lt: invalid type for comparison' },
    { desc: 'lt of a number and a string', input: '{{ lt 1 "a" }}', expected: 't:1:4: executing at <lt 1 "a">: error calling lt: incompatible types for comparison' },
    { desc: 'not with two arguments', input: '{{ not 1 2 }}', expected: 't:1:4: executing at <not 1 2>: wrong number of args for not: want 1 got 2' },
    { desc: 'and with none', input: '{{ and }}', expected: 't:1:4: executing at <and>: wrong number of args for and: want at least 1 got 0' },
  ])('$desc', ({ input, expected }) => {
    expect(failure(input)).toBe(expected)
  })
})
