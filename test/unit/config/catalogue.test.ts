import { describe, expect, it } from 'vitest'
import { mergeConfigs } from '../../../providers/file/builder.ts'
import { collections, dynamicSchema, dynamicSections } from '../../../src/config/catalogue.ts'
import type { DynamicConfig } from '../../../src/config/dynamic.ts'
import { mergeSnapshots } from '../../../src/config/merge.ts'
import { createRuntimeReport, recordObjectErrors } from '../../../src/config/report.ts'
import { validateDynamic } from '../../../src/config/validate-dynamic.ts'

/** One case per collection of the catalogue: each reader below must agree with it. */
const cases = collections.map((collection) => ({ desc: `${collection.section}.${collection.key}`, ...collection }))
const named = cases.filter((collection) => collection.schema.kind === 'map')

describe('the catalogue of dynamic sections', () => {
  it('lists the sections and collections of Traefik v3, canonically spelled', () => {
    expect(Object.fromEntries(dynamicSections)).toEqual({
      http: ['routers', 'services', 'middlewares', 'serversTransports'],
      tcp: ['routers', 'services', 'middlewares', 'serversTransports'],
      udp: ['routers', 'services'],
      tls: ['certificates', 'options', 'stores'],
    })
  })

  it.each(cases)('gives the dynamic schema its $desc collection', ({ section, key, schema }) => {
    const sectionSchema = dynamicSchema.fields[section]
    expect(sectionSchema.fields[key as keyof typeof sectionSchema.fields]).toBe(schema)
  })

  it('gives the runtime report one section per collection, and nothing else', () => {
    const { generation, providers, ...sections } = createRuntimeReport(7)
    expect({ generation, providers }).toEqual({ generation: 7, providers: {} })
    expect(Object.keys(sections).sort()).toEqual(collections.map((collection) => collection.report).sort())
  })

  it.each(cases)('reports a bad object of $desc with its kind', ({ section, key, kind, schema }) => {
    const bad = { bogus: true }
    const raw = { [section]: { [key]: schema.kind === 'map' ? { x: bad } : [bad] } }
    const name = schema.kind === 'map' ? 'x' : '0'
    const path = schema.kind === 'map' ? `${section}.${key}.x` : `${section}.${key}[0]`
    const { errors } = validateDynamic(raw)
    expect(errors.map(({ kind: found, protocol, name: which }) => ({ kind: found, protocol, name: which }))).toEqual([{ kind, protocol: section, name }])
    expect(errors[0]?.message.startsWith(`${path}.bogus: `)).toBe(true)
  })

  it.each(named)('records a rejected object of $desc in the report section $report', ({ section, kind, report }) => {
    const runtime = createRuntimeReport()
    const unplaced = recordObjectErrors(runtime, 'file', [{ kind, protocol: section, name: 'x', message: 'bad' }])
    expect(unplaced).toEqual([])
    expect(runtime[report]).toEqual({ 'x@file': expect.objectContaining({ status: 'disabled', errors: ['bad'], provider: 'file' }) })
  })

  it.each(named)('names the objects of $desc name@provider when merging', ({ section, key }) => {
    const snapshot = { [section]: { [key]: { x: {} } } } as DynamicConfig
    const { config } = mergeSnapshots(new Map([['file', snapshot]]))
    expect(config).toEqual({ [section]: { [key]: { 'x@file': {} } } })
  })

  it.each(cases)('lets the file provider spell $desc canonically before merging files', ({ section, key, schema }) => {
    const value = schema.kind === 'map' ? { x: {} } : [{}]
    const merged = mergeConfigs([{ path: 'a.yml', config: { [section.toUpperCase()]: { [key.toUpperCase()]: value } } }])
    expect(merged).toEqual({ config: { [section]: { [key]: value } }, problems: [] })
  })
})
