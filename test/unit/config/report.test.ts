import { describe, expect, it } from 'vitest'
import {
  addError,
  createRuntimeReport,
  objectReport,
  providerOf,
  recordObjectErrors,
  type ObjectReport,
  type ObjectStatus,
} from '../../../src/config/report.ts'

describe('addError', () => {
  it.each<{ desc: string; status: ObjectStatus; critical: boolean; expected: ObjectStatus }>([
    { desc: 'a warning on an enabled object', status: 'enabled', critical: false, expected: 'warning' },
    { desc: 'a critical error on an enabled object', status: 'enabled', critical: true, expected: 'disabled' },
    { desc: 'a critical error on a warned object', status: 'warning', critical: true, expected: 'disabled' },
    { desc: 'a warning on a disabled object', status: 'disabled', critical: false, expected: 'disabled' },
  ])('gives $desc the status $expected', ({ status, critical, expected }) => {
    const report: ObjectReport = { status, errors: [], provider: 'file' }
    addError(report, 'something is wrong', critical)
    expect(report).toEqual({ status: expected, errors: ['something is wrong'], provider: 'file' })
  })

  it('does not repeat a message', () => {
    const report = objectReport('web@file')
    addError(report, 'twice', false)
    addError(report, 'twice', false)
    expect(report.errors).toEqual(['twice'])
  })
})

describe('providerOf', () => {
  it.each([
    { desc: 'a qualified name', input: 'web@file', expected: 'file' },
    { desc: 'an internal service', input: 'api@internal', expected: 'internal' },
    { desc: 'an unqualified name', input: 'web', expected: '' },
  ])('reads $desc', ({ input, expected }) => {
    expect(providerOf(input)).toBe(expected)
  })
})

describe('recordObjectErrors', () => {
  it('records rejected objects as disabled under their qualified names and returns the rest', () => {
    const report = createRuntimeReport()
    const unplaced = recordObjectErrors(report, 'docker', [
      { kind: 'router', protocol: 'http', name: 'web', message: 'http.routers.web.priority: expected an integer, got "high"' },
      { kind: 'router', protocol: 'http', name: 'web', message: 'http.routers.web.rulee: unknown field' },
      { kind: 'service', protocol: 'tcp', name: 'db', message: 'tcp.services.db: a service needs exactly one of loadBalancer, weighted; got none' },
      { kind: 'middleware', protocol: 'http', name: 'a@b', provider: 'file', message: 'http.middlewares.a@b: a name must not contain "@"' },
      { kind: 'tlsOptions', protocol: 'tls', name: 'default', message: 'tls.options.default: defined by several providers' },
      { kind: 'section', protocol: 'root', name: 'htp', message: 'htp: unknown section' },
    ])
    expect(report.routers).toEqual({
      'web@docker': {
        status: 'disabled',
        provider: 'docker',
        using: [],
        errors: ['http.routers.web.priority: expected an integer, got "high"', 'http.routers.web.rulee: unknown field'],
      },
    })
    expect(report.tcpServices).toEqual({
      'db@docker': {
        status: 'disabled',
        provider: 'docker',
        usedBy: [],
        errors: ['tcp.services.db: a service needs exactly one of loadBalancer, weighted; got none'],
      },
    })
    expect(report.middlewares).toEqual({
      'a@b': { status: 'disabled', provider: 'file', usedBy: [], errors: ['http.middlewares.a@b: a name must not contain "@"'] },
    })
    expect(report.tlsOptions).toEqual({
      default: { status: 'disabled', provider: 'docker', errors: ['tls.options.default: defined by several providers'] },
    })
    expect(unplaced).toEqual([{ kind: 'section', protocol: 'root', name: 'htp', message: 'htp: unknown section' }])
  })
})
