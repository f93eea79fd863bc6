import { chargeString } from './budget.ts'
import { strval } from './convert.ts'
import { goQuote, goTrim, goTrimSpace, isGoSpace } from './go-strings.ts'
import { stringSink } from './printf.ts'
import { typed, type TemplateFunction } from './signature.ts'
import { byteLength } from './values.ts'

/** Sprig's string functions (the subset Traefik users write), with Sprig's argument order: the string comes last, for pipelines. */

const letterOrDigit = /[\p{L}\p{N}]/u

/** Go's `strings.Title`: the first letter of each word upper-cased, a word starting after a separator. */
function title(text: string): string {
  let out = ''
  let previous = ' '
  for (const char of text) {
    out += isSeparator(previous) ? char.toUpperCase() : char
    previous = char
  }
  return out
}

function isSeparator(char: string): boolean {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(char)
  if (letterOrDigit.test(char)) return false
  return isGoSpace(char.charCodeAt(0))
}

/** Sprig's `untitle`: the first letter of each space-separated word lower-cased. */
function untitle(text: string): string {
  let out = ''
  let previous = ' '
  for (const char of text) {
    out += isGoSpace(previous.charCodeAt(0)) ? char.toLowerCase() : char
    previous = char
  }
  return out
}

function repeat(count: number, text: string): string {
  if (count < 0) throw new Error('strings: negative Repeat count')
  chargeString(count * byteLength(text))
  return text.repeat(count)
}

function indent(spaces: number, text: string): string {
  if (spaces < 0) throw new Error('strings: negative Repeat count')
  let lines = 1
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++
  chargeString(byteLength(text) + spaces * lines)
  const pad = ' '.repeat(spaces)
  return pad + text.replaceAll('\n', `\n${pad}`)
}

/** Go's `strings.Replace(s, old, new, -1)`; an empty `old` inserts `new` around every character. */
function replace(old: string, replacement: string, text: string): string {
  const count = old === '' ? [...text].length + 1 : text.split(old).length - 1
  chargeString(byteLength(text) + count * (byteLength(replacement) - byteLength(old)))
  if (old === '') return replacement + [...text].join(replacement) + (text === '' ? '' : replacement)
  return text.replaceAll(old, replacement)
}

/** Go's `strings.Split`: an empty separator splits into characters. */
export function goSplit(text: string, separator: string): string[] {
  return separator === '' ? [...text] : text.split(separator)
}

/** Sprig's `strslice` (`join`, `toStrings`): a list's non-nil items as strings; nil is empty; anything else one string. */
export function toStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(strval)
  return value === null || value === undefined ? [] : [strval(value)]
}

function join(separator: string, value: unknown): string {
  const parts = toStrings(value)
  chargeString(parts.reduce((total, part) => total + byteLength(part), 0) + Math.max(0, parts.length - 1) * byteLength(separator))
  return parts.join(separator)
}

/** `%q` of each non-nil argument, space-separated. */
function quote(...values: unknown[]): string {
  const sink = stringSink()
  values
    .filter((value) => value !== null)
    .forEach((value, index) => {
      if (index > 0) sink.write(' ')
      sink.write(goQuote(strval(value)))
    })
  return sink.toString()
}

function squote(...values: unknown[]): string {
  const sink = stringSink()
  values
    .filter((value) => value !== null)
    .forEach((value, index) => sink.write(`${index > 0 ? ' ' : ''}'${strval(value)}'`))
  return sink.toString()
}

function cat(...values: unknown[]): string {
  const sink = stringSink()
  values
    .filter((value) => value !== null)
    .forEach((value, index) => sink.write(`${index > 0 ? ' ' : ''}${strval(value)}`))
  return sink.toString()
}

/** Sprig's `splitn`: at most `n` parts as a map `_0`, `_1`, ...; n < 0 means all. */
function splitn(separator: string, n: number, text: string): Record<string, string> {
  const parts = goSplit(text, separator)
  const kept = n < 0 || parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)]
  return Object.fromEntries((n === 0 ? [] : kept).map((part, i) => [`_${i}`, part]))
}

function substr(start: number, end: number, text: string): string {
  const chars = [...text]
  if (start < 0) return chars.slice(0, end).join('')
  if (end < 0 || end > chars.length) return chars.slice(start).join('')
  if (start > end) throw new Error(`slice bounds out of range [${start}:${end}]`)
  return chars.slice(start, end).join('')
}

function trunc(count: number, text: string): string {
  const chars = [...text]
  if (count < 0 && chars.length + count > 0) return chars.slice(chars.length + count).join('')
  if (count >= 0 && chars.length > count) return chars.slice(0, count).join('')
  return text
}

function base64Decode(text: string): string {
  const compact = text.replace(/[\r\n]/g, '')
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] ?? ''
    const padding = c === '=' && i >= compact.length - 2 && compact.length % 4 === 0 && (i === compact.length - 1 || compact[i + 1] === '=')
    if (!/[A-Za-z0-9+/]/.test(c) && !padding) return `illegal base64 data at input byte ${i}`
  }
  if (compact.length % 4 !== 0) return `illegal base64 data at input byte ${compact.length - (compact.length % 4)}`
  return Buffer.from(compact, 'base64').toString('utf8')
}

const s = 'string' as const

export const sprigStrings: Readonly<Record<string, TemplateFunction>> = {
  upper: typed('upper', { params: [s] }, (text: string) => text.toUpperCase()),
  lower: typed('lower', { params: [s] }, (text: string) => text.toLowerCase()),
  title: typed('title', { params: [s] }, title),
  untitle: typed('untitle', { params: [s] }, untitle),
  trim: typed('trim', { params: [s] }, goTrimSpace),
  trimAll: typed('trimAll', { params: [s, s] }, (cutset: string, text: string) => goTrim(text, cutset)),
  trimPrefix: typed('trimPrefix', { params: [s, s] }, (prefix: string, text: string) => (text.startsWith(prefix) ? text.slice(prefix.length) : text)),
  trimSuffix: typed('trimSuffix', { params: [s, s] }, (suffix: string, text: string) => (text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text)),
  nospace: typed('nospace', { params: [s] }, (text: string) => [...text].filter((char) => !isGoSpace(char.charCodeAt(0))).join('')),
  trunc: typed('trunc', { params: ['int', s] }, trunc),
  substr: typed('substr', { params: ['int', 'int', s] }, substr),
  repeat: typed('repeat', { params: ['int', s] }, repeat),
  indent: typed('indent', { params: ['int', s] }, indent),
  nindent: typed('nindent', { params: ['int', s] }, (spaces: number, text: string) => `\n${indent(spaces, text)}`),
  replace: typed('replace', { params: [s, s, s] }, replace),
  contains: typed('contains', { params: [s, s] }, (part: string, text: string) => text.includes(part)),
  hasPrefix: typed('hasPrefix', { params: [s, s] }, (prefix: string, text: string) => text.startsWith(prefix)),
  hasSuffix: typed('hasSuffix', { params: [s, s] }, (suffix: string, text: string) => text.endsWith(suffix)),
  plural: typed('plural', { params: [s, s, 'int'] }, (one: string, many: string, count: number) => (count === 1 ? one : many)),
  quote: typed('quote', { params: [], variadic: 'any' }, quote),
  squote: typed('squote', { params: [], variadic: 'any' }, squote),
  cat: typed('cat', { params: [], variadic: 'any' }, cat),
  // Traefik replaces Sprig's `split` (which makes a map) with Go's strings.Split: `split "a,b" ","` is a list.
  split: typed('split', { params: [s, s] }, goSplit),
  splitList: typed('splitList', { params: [s, s] }, (separator: string, text: string) => goSplit(text, separator)),
  splitn: typed('splitn', { params: [s, 'int', s] }, splitn),
  join: typed('join', { params: [s, 'any'] }, join),
  toString: typed('toString', { params: ['any'] }, strval),
  toStrings: typed('toStrings', { params: ['any'] }, toStrings),
  b64enc: typed('b64enc', { params: [s] }, (text: string) => Buffer.from(text, 'utf8').toString('base64')),
  // Sprig returns the decoding error as the result, rather than failing.
  b64dec: typed('b64dec', { params: [s] }, base64Decode),
  env: typed('env', { params: [s] }, (name: string) => process.env[name] ?? ''),
}
