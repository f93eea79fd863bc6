import { describe, expect, it } from 'vitest'
import { render } from './render.ts'

/** `printf` with the format and arguments given as template source. */
function printf(format: string, args: string): string {
  return render(`{{ printf ${JSON.stringify(format)} ${args} }}`)
}

describe("printf: Go's verbs", () => {
  // Expected values are Go's fmt.Sprintf output for the same arguments (int for whole numbers, float64 otherwise).
  it.each([
    { format: '%s|%v|%q', args: '"hi" "hi" "hi"', expected: 'hi|hi|"hi"' },
    { format: '%d|%5d|%-5d|%05d|%+d|% d', args: '42 42 42 42 42 42', expected: '42|   42|42   |00042|+42| 42' },
    { format: '%d', args: '-7', expected: '-7' },
    { format: '%.3d|%8.3d', args: '7 7', expected: '007|     007' },
    { format: '%x|%X|%#x|%o|%#o|%O|%b', args: '255 255 255 8 8 8 5', expected: 'ff|FF|0xff|10|010|0o10|101' },
    { format: '%#08x', args: '255', expected: '0x000000ff' },
    { format: '%c|%q|%U|%#U', args: '65 65 233 233', expected: "A|'A'|U+00E9|U+00E9 'é'" },
    { format: '%x|% x|%X', args: '"hé" "ab" "hé"', expected: '68c3a9|61 62|68C3A9' },
    { format: '%f|%.2f|%8.3f|%-8.1f|%08.2f', args: '3.14159 3.14159 3.14159 3.14159 -3.14159', expected: '3.141590|3.14|   3.142|3.1     |-0003.14' },
    { format: '%.0f|%.0f|%.0f|%.1f', args: '0.5 1.5 2.5 0.25', expected: '0|2|2|0.2' },
    { format: '%e|%E|%.2e', args: '1234.5678 1234.5678 0.000123', expected: '1.234568e+03|1.234568E+03|1.23e-04' },
    { format: '%g|%g|%g|%.3g|%.2g|%g', args: '1234.5678 0.00001234 1e21 1234.5678 100.0 1.0', expected: '1234.5678|1.234e-05|1e+21|1.23e+03|1e+02|1' },
    { format: '%v|%v|%v|%v', args: '1.5 1234567.5 0.0001 0.00001', expected: '1.5|1.2345675e+06|0.0001|1e-05' },
    { format: '%.2f', args: '3', expected: '3.00' },
    { format: '%t|%v', args: 'true false', expected: 'true|false' },
    { format: '%v|%d|%s|%q', args: '(list 1 2) (list 1 2) (list "a" "b") (list "a" "b")', expected: '[1 2]|[1 2]|[a b]|["a" "b"]' },
    { format: '%v', args: '(dict "b" 2 "a" (list 1))', expected: 'map[a:[1] b:2]' },
    { format: '%#v|%#v|%#v', args: '"s" (list 1 "a") (dict "k" 1)', expected: '"s"|[]interface {}{1, "a"}|map[string]interface {}{"k":1}' },
    { format: '%T %T %T %T %T %T', args: '1 1.5 "s" true (list) (dict)', expected: 'int float64 string bool []interface {} map[string]interface {}' },
    { format: '%v|%s|%d', args: 'nil nil nil', expected: '<nil>|%!s(<nil>)|%!d(<nil>)' },
    { format: '%5s|%-5s|%.2s|%5.1s', args: '"ab" "ab" "héllo" "xyz"', expected: '   ab|ab   |hé|    x' },
    { format: '%*d|%-*d|%.*f', args: '5 1 4 2 2 3.14159', expected: '    1|2   |3.14' },
    { format: '100%%', args: '', expected: '100%' },
    { format: '%d', args: '"x"', expected: '%!d(string=x)' },
    { format: '%s', args: '5', expected: '%!s(int=5)' },
    { format: '%z', args: '5', expected: '%!z(int=5)' },
    { format: '%d %d', args: '1', expected: '1 %!d(MISSING)' },
    { format: '%d', args: '1 "x" 2.5', expected: '1%!(EXTRA string=x, float64=2.5)' },
    { format: 'end %', args: '', expected: 'end %!(NOVERB)' },
    { format: '%d', args: '1.5', expected: '%!d(float64=1.5)' },
    { format: '%q', args: '"tab\\t\\u00e9\\x01"', expected: '"tab\\té\\x01"' },
    { format: '%+q', args: '"é"', expected: '"\\u00e9"' },
    { format: '%v %v', args: '(list nil) (dict "a" nil)', expected: '[<nil>] map[a:<nil>]' },
  ])('printf "$format" $args', ({ format, args, expected }) => {
    expect(printf(format, args)).toBe(expected)
  })

  it('prints whole numbers as integers and other numbers as Go prints a float64', () => {
    expect(render('{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }}', { a: 1e6, b: 0.1, c: -2.5, d: 1e-7, e: 123456789.25 })).toBe('1000000 0.1 -2.5 1e-07 1.2345678925e+08')
  })
})
