import { describe, expect, it } from 'vitest'
import { Lexer, type Token } from '../../../../src/config/template/lexer.ts'
import { TemplateFault } from '../../../../src/config/template/template-error.ts'

/** Every token up to the end, as `kind:value`. */
function tokens(text: string): string[] {
  const lexer = new Lexer(text)
  const out: string[] = []
  for (let token: Token = lexer.next(); token.kind !== 'eof'; token = lexer.next()) out.push(`${token.kind}:${token.value}`)
  return out
}

function fault(text: string): { offset: number; message: string } {
  try {
    tokens(text)
  } catch (error) {
    if (error instanceof TemplateFault) return { offset: error.offset, message: error.message }
    throw error
  }
  throw new Error('expected a fault')
}

describe('template lexer', () => {
  it.each([
    { desc: 'plain text', input: 'a: 1\nb: 2', expected: ['text:a: 1\nb: 2'] },
    { desc: 'an action between texts', input: 'a{{ .X }}b', expected: ['text:a', 'open:{{', 'space: ', 'field:X', 'space: ', 'close:}}', 'text:b'] },
    { desc: 'left trim marker drops the white space before', input: 'a \n\t{{- 1}}', expected: ['text:a', 'open:{{', 'number:1', 'close:}}'] },
    { desc: 'right trim marker drops the white space after', input: '{{1 -}} \n b', expected: ['open:{{', 'number:1', 'close:}}', 'text:b'] },
    { desc: 'a dash without a space is a number sign', input: '{{-3}}', expected: ['open:{{', 'number:-3', 'close:}}'] },
    { desc: 'a comment produces nothing', input: 'a{{/* x */}}b', expected: ['text:a', 'text:b'] },
    { desc: 'a trimmed comment trims both sides', input: 'a {{- /* x */ -}} b', expected: ['text:a', 'text:b'] },
    { desc: 'field chain', input: '{{.A.B}}', expected: ['open:{{', 'field:A', 'field:B', 'close:}}'] },
    { desc: 'dot alone', input: '{{.}}', expected: ['open:{{', 'dot:.', 'close:}}'] },
    { desc: 'variables', input: '{{$ $x.Y}}', expected: ['open:{{', 'variable:$', 'space: ', 'variable:$x', 'field:Y', 'close:}}'] },
    { desc: 'declaration and assignment', input: '{{$x := 1}}{{$x = 2}}', expected: ['open:{{', 'variable:$x', 'space: ', 'declare::=', 'space: ', 'number:1', 'close:}}', 'open:{{', 'variable:$x', 'space: ', 'assign:=', 'space: ', 'number:2', 'close:}}'] },
    { desc: 'strings, raw strings, chars', input: '{{"a\\"b" `c` \'d\'}}', expected: ['open:{{', 'string:"a\\"b"', 'space: ', 'rawString:`c`', 'space: ', "char:'d'", 'close:}}'] },
    { desc: 'keywords, booleans, identifiers', input: '{{if true}}{{else}}{{end}}{{nil}}{{printf}}', expected: ['open:{{', 'keyword:if', 'space: ', 'bool:true', 'close:}}', 'open:{{', 'keyword:else', 'close:}}', 'open:{{', 'keyword:end', 'close:}}', 'open:{{', 'keyword:nil', 'close:}}', 'open:{{', 'identifier:printf', 'close:}}'] },
    { desc: 'pipes and parentheses', input: '{{(1) | f}}', expected: ['open:{{', 'leftParen:(', 'number:1', 'rightParen:)', 'space: ', 'pipe:|', 'space: ', 'identifier:f', 'close:}}'] },
    { desc: 'numbers in Go syntax', input: '{{0x1F 0o17 0b101 1_000 1.5e3 .5}}', expected: ['open:{{', 'number:0x1F', 'space: ', 'number:0o17', 'space: ', 'number:0b101', 'space: ', 'number:1_000', 'space: ', 'number:1.5e3', 'space: ', 'number:.5', 'close:}}'] },
    { desc: 'newlines inside an action are spaces', input: '{{\n  1\n}}', expected: ['open:{{', 'space: ', 'number:1', 'space: ', 'close:}}'] },
    { desc: 'range declaration with a comma', input: '{{range $i, $e := .}}', expected: ['open:{{', 'keyword:range', 'space: ', 'variable:$i', 'other:,', 'space: ', 'variable:$e', 'space: ', 'declare::=', 'space: ', 'dot:.', 'close:}}'] },
    { desc: 'unicode identifiers', input: '{{.Prénom}}', expected: ['open:{{', 'field:Prénom', 'close:}}'] },
  ])('$desc', ({ input, expected }) => {
    expect(tokens(input)).toEqual(expected)
  })

  it.each([
    { desc: 'unclosed action', input: 'a {{ .X', expected: { offset: 7, message: 'unclosed action' } },
    { desc: 'unclosed comment', input: '{{/* x', expected: { offset: 0, message: 'unclosed comment' } },
    { desc: 'comment not at the delimiter', input: '{{/* x */ y}}', expected: { offset: 0, message: 'comment ends before closing delimiter' } },
    { desc: 'unterminated string', input: '{{"abc}}', expected: { offset: 2, message: 'unterminated quoted string' } },
    { desc: 'newline in a string', input: '{{"a\nb"}}', expected: { offset: 2, message: 'unterminated quoted string' } },
    { desc: 'unterminated raw string', input: '{{`abc}}', expected: { offset: 2, message: 'unterminated raw quoted string' } },
    { desc: 'unterminated character', input: "{{'a}}", expected: { offset: 2, message: 'unterminated character constant' } },
    { desc: 'colon without equals', input: '{{$x : 1}}', expected: { offset: 5, message: 'expected :=' } },
    { desc: 'unexpected right paren', input: '{{1)}}', expected: { offset: 3, message: 'unexpected right paren' } },
    { desc: 'unclosed left paren', input: '{{(1}}', expected: { offset: 4, message: 'unclosed left paren' } },
    { desc: 'bad number', input: '{{12ab}}', expected: { offset: 2, message: 'bad number syntax: "12ab"' } },
    { desc: 'bad character after an identifier', input: '{{abc#}}', expected: { offset: 5, message: "bad character U+0023 '#'" } },
    { desc: 'unrecognized character', input: '{{ € }}', expected: { offset: 3, message: 'unrecognized character in action: U+20AC' } },
  ])('reports $desc at its offset', ({ input, expected }) => {
    expect(fault(input)).toEqual(expected)
  })
})
