import { describe, expect, it } from 'vitest'
import { normalizeName } from '../../../../src/config/labels/normalize.ts'

describe('normalizeName, as Traefik\'s Normalize', () => {
  it.each([
    { input: '/web-1', expected: 'web-1' },
    { input: 'web_myproject', expected: 'web-myproject' },
    { input: '/my_app.v2', expected: 'my-app-v2' },
    { input: '--a--b--', expected: 'a-b' },
    { input: 'Test', expected: 'Test' },
    { input: 'café_crème', expected: 'café-crème' },
    { input: 'x٣y', expected: 'x٣y' },
    { input: '日本語/サービス', expected: '日本語-サービス' },
    { input: '😀app', expected: 'app' },
    { input: '/_-', expected: '' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(normalizeName(input)).toBe(expected)
  })
})
