import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildDockerSnapshot, compileConstraints, type DockerBuildOptions, type DockerContainer } from '../../../../providers/docker/builder.ts'
import { normalizeName } from '../../../../src/plugin.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

/** A fixture's input: the containers as `docker inspect` prints them, and the options that differ from the defaults below. */
interface FixtureInput {
  readonly options?: Partial<Omit<DockerBuildOptions, 'defaultRule' | 'constraints'>> & { readonly defaultRule?: string; readonly constraints?: string }
  readonly containers: readonly DockerContainer[]
}

/**
 * A stand-in for the template engine (it arrives from another branch): the
 * few actions the fixtures use, and an error for any other, as a template
 * naming a missing field fails.
 */
function renderRule(template: string): DockerBuildOptions['defaultRule'] {
  return (data) =>
    template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, action: string) => {
      if (action === '.Name') return data.Name
      if (action === 'normalize .Name') return normalizeName(data.Name)
      if (action === '.ContainerName') return data.ContainerName
      const label = /^index \.Labels "([^"]*)"$/.exec(action)
      if (label !== null) return data.Labels[label[1] ?? ''] ?? ''
      throw new Error(`template: defaultRule: can't evaluate ${action}`)
    })
}

function optionsOf(input: FixtureInput): DockerBuildOptions {
  const { defaultRule, constraints, ...rest } = input.options ?? {}
  return {
    prefix: 'junction',
    exposedByDefault: true,
    useBindPortIP: false,
    allowEmptyServices: false,
    listening: [],
    ...rest,
    defaultRule: renderRule(defaultRule ?? 'Host(`{{ normalize .Name }}`)'),
    ...(constraints === undefined ? {} : { constraints: compileConstraints(constraints) }),
  }
}

const cases = readdirSync(fixtures)
  .filter((file) => file.endsWith('.input.json'))
  .map((file) => file.slice(0, -'.input.json'.length))
  .sort()

describe('docker builder: golden fixtures', () => {
  it.each(cases)('%s', (name) => {
    const input = JSON.parse(readFileSync(join(fixtures, `${name}.input.json`), 'utf8')) as FixtureInput
    const expectedFile = join(fixtures, `${name}.expected.json`)
    const snapshot = buildDockerSnapshot(input.containers, optionsOf(input))
    // UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(expectedFile, `${JSON.stringify(snapshot, null, 2)}\n`)
    expect(snapshot).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))
  })
})
