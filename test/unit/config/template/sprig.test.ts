import { afterEach, describe, expect, it, vi } from 'vitest'
import { normalize, templateFunctions } from '../../../../src/config/template/index.ts'
import { failure, render } from './render.ts'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('Sprig functions', () => {
  it.each([
    // strings
    { input: '{{ upper "abc" }} {{ lower "ABC" }}', expected: 'ABC abc' },
    { input: '{{ title "hello wide_world-x" }} {{ untitle "Hello World" }}', expected: 'Hello Wide_world-X hello world' },
    { input: '[{{ trim "  \\t x y \\n" }}] [{{ trimAll "$" "$$5.00$" }}] [{{ trimPrefix "ab" "abc" }}] [{{ trimSuffix "bc" "abc" }}]', expected: '[x y] [5.00] [c] [a]' },
    { input: '{{ nospace " a b\\tc " }} {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ substr 1 3 "abcdef" }}', expected: 'abc abc ef bc' },
    { input: '{{ repeat 3 "ab" }} {{ "x" | repeat 2 }}', expected: 'ababab xx' },
    { input: '{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', expected: '  a\n  b|\n  a' },
    { input: '{{ replace "a" "o" "banana" }} {{ replace "" "-" "ab" }}', expected: 'bonono -a-b-' },
    { input: '{{ contains "an" "banana" }} {{ hasPrefix "ba" "banana" }} {{ hasSuffix "x" "banana" }} {{ "banana" | contains "nan" }}', expected: 'true true false true' },
    { input: '{{ quote "a\\"b" 1 nil }} {{ squote "x" 2 }} {{ cat "a" 1 nil "b" }}', expected: '"a\\"b" "1" \'x\' \'2\' a 1 b' },
    { input: '{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}', expected: 'one many' },
    // Traefik registers Go's strings.Split as `split`: string first, then the separator, and a list comes out.
    { input: '{{ split "a,b,c" "," }} {{ index (split "a,b" ",") 1 }} {{ split "ab" "" }}', expected: '[a b c] b [a b]' },
    { input: '{{ splitList "," "a,b" }} {{ splitn "," 2 "a,b,c" }}', expected: '[a b] map[_0:a _1:b,c]' },
    { input: '{{ join "-" (list "a" 1 nil true) }} {{ join "," "x" }} {{ toStrings (list 1 "a") }}', expected: 'a-1-true x [1 a]' },
    { input: '{{ toString 5 }} {{ toString (list 1) }} {{ toString "s" }}', expected: '5 [1] s' },
    { input: '{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ b64dec "aGV*" }}', expected: 'aGVsbG8= hello illegal base64 data at input byte 3' },
    // lists
    { input: '{{ list 1 "a" }} {{ list }}', expected: '[1 a] []' },
    { input: '{{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ first (list 1 2) }} {{ last (list 1 2) }}', expected: '[1 2] [0 1] 1 2' },
    { input: '{{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ reverse (list 1 2 3) }}', expected: '[2 3] [1 2] [3 2 1]' },
    { input: '{{ first (list) }} {{ rest (list) }} {{ slice (list) }}', expected: '<no value> [] <no value>' },
    { input: '{{ uniq (list 1 2 1 (list 3) (list 3)) }} {{ compact (list 0 "" 1 nil "a") }}', expected: '[1 2 [3]] [1 a]' },
    { input: '{{ has 2 (list 1 2) }} {{ has "x" (list 1) }} {{ without (list 1 2 3 2) 2 }} {{ concat (list 1) (list 2 3) }}', expected: 'true false [1 3] [1 2 3]' },
    { input: '{{ until 3 }} {{ until -2 }} {{ until 0 }} {{ untilStep 1 10 3 }} {{ untilStep 5 0 -2 }} {{ untilStep 0 5 -1 }}', expected: '[0 1 2] [0 -1] [] [1 4 7] [5 3 1] []' },
    { input: '[{{ seq 3 }}] [{{ seq 2 5 }}] [{{ seq 5 2 }}] [{{ seq 0 2 6 }}] [{{ seq 6 -2 2 }}] [{{ seq 1 2 0 }}] [{{ seq }}]', expected: '[1 2 3] [2 3 4 5] [5 4 3 2] [0 2 4 6] [6 4 2] [] []' },
    { input: '{{ sortAlpha (list "b" "a" 3) }}', expected: '[3 a b]' },
    // dicts
    { input: '{{ dict "b" 1 "a" 2 }} {{ dict "odd" }} {{ dict 1 2 }}', expected: 'map[a:2 b:1] map[odd:] map[1:2]' },
    { input: '{{ get (dict "a" 1) "a" }} [{{ get (dict) "x" }}] {{ hasKey (dict "a" 1) "a" }} {{ hasKey (dict) "a" }}', expected: '1 [] true false' },
    { input: '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ $_ := unset $d "a" }}{{ $d }}', expected: 'map[a:1 b:2] map[b:2]' },
    { input: '{{ keys (dict "b" 1 "a" 2) (dict "c" 3) }} {{ values (dict "b" 1 "a" 2) }}', expected: '[a b c] [2 1]' },
    { input: '{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ pick (dict "a" 1 "b" 2) "b" }} {{ omit (dict "a" 1 "b" 2) "b" }}', expected: '[1 3] map[b:2] map[a:1]' },
    { input: '{{ (dict "__proto__" 1).__proto__ }} {{ len (dict "__proto__" 1) }}', expected: '1 1' },
    // math
    { input: '{{ add 1 2 "3" }} {{ add1 1 }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ div -7 2 }} {{ mod 7 3 }} {{ mod -7 3 }}', expected: '6 2 -2 24 3 -3 1 -1' },
    { input: '{{ max 1 5 3 }} {{ min 4 2 9 }} {{ biggest 1 2 }}', expected: '5 2 2' },
    { input: '{{ atoi "42" }} {{ atoi "x" }} {{ int "12" }} {{ int "0x10" }} {{ int "010" }} {{ int "12.00" }} {{ int "1.5" }} {{ int 3.9 }} {{ int true }} {{ int64 -2.5 }}', expected: '42 0 12 16 8 12 0 3 1 -2' },
    { input: '{{ float64 "1.5" }} {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 2.345 2 }}', expected: '1.5 1 2 2.35' },
    // defaults
    { input: '{{ default "d" "" }} {{ default "d" "v" }} {{ "" | default "p" }} {{ default "d" 0 }} {{ default "d" (dict).missing }} {{ default "d" }}', expected: 'd v p d d d' },
    { input: '{{ empty "" }} {{ empty 0 }} {{ empty (list) }} {{ empty (dict) }} {{ empty nil }} {{ empty false }} {{ empty "x" }} {{ empty 1 }}', expected: 'true true true true true true false false' },
    { input: '{{ coalesce 0 "" "c" "d" }} {{ coalesce 0 nil }} {{ all 1 "a" }} {{ all 1 "" }} {{ any 0 "a" }} {{ any 0 "" }}', expected: 'c <no value> true false true false' },
    { input: '{{ ternary "y" "n" true }} {{ true | ternary "y" "n" }} {{ ternary "y" "n" (eq 1 2) }}', expected: 'y y n' },
    // Traefik's own
    { input: '{{ normalize "my_app.web-1" }} {{ normalize "__x__" }} {{ normalize "été/Ünïcode" }}', expected: 'my-app-web-1 x été-Ünïcode' },
  ])('$input', ({ input, expected }) => {
    expect(render(input)).toBe(expected)
  })

  it('env reads the process environment; a variable not set is empty', () => {
    vi.stubEnv('JUNCTION_TEMPLATE_TEST', 'value')
    expect(render('{{ env "JUNCTION_TEMPLATE_TEST" }}|{{ env "JUNCTION_TEMPLATE_TEST_UNSET" }}')).toBe('value|')
  })

  it.each([
    { desc: 'fail', input: '{{ fail "stop here" }}', expected: 't:1:4: executing at <fail "stop here">: error calling fail: stop here' },
    { desc: 'a string where an int is expected', input: '{{ repeat "3" "x" }}', expected: 't:1:4: executing at <repeat "3" "x">: wrong type for argument 1 of repeat: expected int, got string' },
    { desc: 'a number where a string is expected', input: '{{ upper 3 }}', expected: 't:1:4: executing at <upper 3>: wrong type for argument 1 of upper: expected string, got int' },
    { desc: 'a missing value where a string is expected', input: '{{ upper (dict).missing }}', expected: 't:1:4: executing at <upper (dict).missing>: wrong type for argument 1 of upper: expected string, got <nil>' },
    { desc: 'a list where a map is expected', input: '{{ get (list) "a" }}', expected: 't:1:4: executing at <get (list) "a">: wrong type for argument 1 of get: expected map[string]interface {}, got []interface {}' },
    { desc: 'too few arguments', input: '{{ replace "a" "b" }}', expected: 't:1:4: executing at <replace "a" "b">: wrong number of args for replace: want 3 got 2' },
    { desc: 'first of a string', input: '{{ first "abc" }}', expected: 't:1:4: executing at <first "abc">: error calling first: cannot find first on type string' },
    { desc: 'division by zero', input: '{{ div 1 0 }}', expected: 't:1:4: executing at <div 1 0>: error calling div: runtime error: integer divide by zero' },
    { desc: 'negative repeat', input: '{{ repeat -1 "x" }}', expected: 't:1:4: executing at <repeat -1 "x">: error calling repeat: strings: negative Repeat count' },
    { desc: 'ternary on a string', input: '{{ ternary 1 2 "yes" }}', expected: 't:1:4: executing at <ternary 1 2 "yes">: wrong type for argument 3 of ternary: expected bool, got string' },
  ])('$desc is an error naming the position', ({ input, expected }) => {
    expect(failure(input)).toBe(expected)
  })

  it('normalize is exported for providers, as Traefik\'s provider.Normalize', () => {
    expect(normalize('/compose-project_web.1')).toBe('compose-project-web-1')
    expect(normalize('')).toBe('')
  })

  it('offers every function the brief and the Traefik documentation name', () => {
    const names = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery']
    const sprig = ['env', 'default', 'empty', 'coalesce', 'until', 'untilStep', 'seq', 'list', 'dict', 'get', 'keys', 'upper', 'lower', 'title', 'trim', 'trimAll', 'trimPrefix', 'trimSuffix', 'replace', 'split', 'splitList', 'join', 'contains', 'hasPrefix', 'hasSuffix', 'quote', 'squote', 'cat', 'add', 'sub', 'mul', 'div', 'mod', 'max', 'min', 'atoi', 'int', 'int64', 'toString', 'first', 'last', 'append', 'repeat', 'indent', 'nindent', 'b64enc', 'b64dec', 'ternary', 'normalize']
    expect([...names, ...sprig].filter((name) => typeof templateFunctions[name] !== 'function')).toEqual([])
  })
})
