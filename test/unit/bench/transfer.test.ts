import { describe, expect, it } from 'vitest'
import { downloadPath, transferRoute, uploadPath } from '../../bench/lib/transfer.ts'

describe('transferRoute', () => {
  it.each([
    { desc: 'an upload', input: { method: 'POST', url: uploadPath }, expected: { kind: 'upload' } },
    { desc: 'a download of 100 MiB', input: { method: 'GET', url: downloadPath(104_857_600) }, expected: { kind: 'download', bytes: 104_857_600 } },
    { desc: 'a download with a query string', input: { method: 'GET', url: '/download/13?x=1' }, expected: { kind: 'download', bytes: 13 } },
    { desc: 'the readiness probe', input: { method: 'GET', url: '/small' }, expected: { kind: 'probe' } },
    { desc: 'a download with a size that is not a number', input: { method: 'GET', url: '/download/lots' }, expected: { kind: 'probe' } },
    { desc: 'a POST elsewhere', input: { method: 'POST', url: '/download/13' }, expected: { kind: 'unknown' } },
    { desc: 'another method', input: { method: 'PUT', url: uploadPath }, expected: { kind: 'unknown' } },
  ])('routes $desc', ({ input, expected }) => {
    expect(transferRoute(input.method, input.url)).toEqual(expected)
  })
})
