import { describe, expect, it } from 'vitest'
import { headersEntry } from '../../../middlewares/headers/index.ts'
import { exchange, middlewareContract } from '../../support/middleware-contract.ts'
import { testMiddlewareContext } from '../../support/context.ts'

middlewareContract(headersEntry, { valid: { customRequestHeaders: { 'X-A': '1' } }, invalid: { customRequestHeaders: 'nope' } })

describe('headers', () => {
  it('sets and removes request headers', async () => {
    const { seen } = await exchange(headersEntry, { customRequestHeaders: { 'X-Added': 'yes', 'X-Gone': '' } }, '/', { 'x-gone': 'here', 'x-kept': 'k' })
    expect([seen?.headers['x-added'], seen?.headers['x-gone'], seen?.headers['x-kept']]).toEqual(['yes', undefined, 'k'])
  })

  it('removes X-Forwarded-For but keeps its name, which tells the forwarder to add no client address', async () => {
    const { seen } = await exchange(headersEntry, { customRequestHeaders: { 'X-Forwarded-For': '', 'X-Forwarded-Host': '' } }, '/', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'h' })
    const headers = seen?.headers ?? {}
    expect({ hasFor: 'x-forwarded-for' in headers, for: headers['x-forwarded-for'], hasHost: 'x-forwarded-host' in headers }).toEqual({ hasFor: true, for: undefined, hasHost: false })
  })

  it('overrides and removes response headers set by the handler behind it', async () => {
    const { headers } = await exchange(headersEntry, { customResponseHeaders: { 'X-Terminal': 'overridden', 'Content-Type': '', 'X-New': '1' } }, '/')
    expect([headers['x-terminal'], headers['content-type'], headers['x-new']]).toEqual(['overridden', undefined, '1'])
  })

  it.each([
    { desc: 'an option not supported yet', options: { stsSeconds: 10 }, message: 'option "stsSeconds" is not supported yet' },
    { desc: 'a header name with a space', options: { customRequestHeaders: { 'X Bad': '1' } }, message: 'customRequestHeaders: invalid header name "X Bad"' },
    { desc: 'a value with a line break', options: { customResponseHeaders: { 'X-A': 'a\r\nSet-Cookie: x' } }, message: 'customResponseHeaders.X-A: value must be a string without line breaks' },
  ])('refuses $desc', ({ options, message }) => {
    expect(() => headersEntry.create(options, testMiddlewareContext('m@file'))).toThrow(`middleware m@file: headers: ${message}`)
  })
})
