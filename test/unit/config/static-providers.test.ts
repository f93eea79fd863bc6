import { mkdtempSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fileProviderEntry } from '../../../providers/file/index.ts'
import { loadStaticConfig, StaticConfigError } from '../../../src/config/load-static.ts'
import { dur, int, obj, str } from '../../../src/config/schema.ts'
import { providerOptions, type ProviderOptionsEntry } from '../../../src/config/static-providers.ts'

const root = mkdtempSync(join(tmpdir(), 'junction-providers-'))
const configPath = join(root, 'junction.yml')

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A provider Junction does not ship, declaring its options as any provider would. */
const memory: ProviderOptionsEntry = {
  key: 'memory',
  schema: obj({
    root: str({ path: true }),
    label: str({ default: 'junction' }),
    pollInterval: dur({ default: 5000 }),
    shards: int({ min: 1 }),
  }),
  check: (options) => ((options['pollInterval'] as number) < 100 ? ['pollInterval: must be at least 100ms'] : []),
}

const providers = [fileProviderEntry, memory]

/** Loads with `argv` and `env`, and the configuration file holding `file` when given; the working directory is /srv. */
async function attempt(argv: string[], env: Record<string, string>, file: string | undefined, given: readonly ProviderOptionsEntry[]) {
  if (file !== undefined) await writeFile(configPath, file)
  const configFile = file === undefined ? [] : [`--configFile=${configPath}`]
  return loadStaticConfig({ argv: [...configFile, '--entryPoints.web.address=:80', ...argv], env, cwd: '/srv' }, { providers: given })
}

async function load(argv: string[], env: Record<string, string> = {}, file?: string): Promise<unknown> {
  return providerOptions((await attempt(argv, env, file, providers)).providers, 'memory')
}

async function problems(argv: string[], env: Record<string, string>, file: string | undefined, given: readonly ProviderOptionsEntry[]): Promise<readonly string[]> {
  const error = await attempt(argv, env, file, given).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(StaticConfigError)
  return (error as StaticConfigError).problems
}

describe('loadStaticConfig with the providers it is given', () => {
  it.each([
    { desc: 'nothing when the provider is not configured', argv: [], env: {}, file: undefined, expected: undefined },
    { desc: 'its defaults for a bare flag', argv: ['--providers.memory'], env: {}, file: undefined, expected: { label: 'junction', pollInterval: 5000 } },
    {
      desc: 'an option from a flag, durations in milliseconds',
      argv: ['--providers.memory.pollInterval=1m', '--providers.memory.shards', '3'],
      env: {},
      file: undefined,
      expected: { label: 'junction', pollInterval: 60_000, shards: 3 },
    },
    {
      desc: 'an option from the environment',
      argv: [],
      env: { JUNCTION_PROVIDERS_MEMORY_LABEL: 'edge' },
      file: undefined,
      expected: { label: 'edge', pollInterval: 5000 },
    },
    {
      desc: 'a path option from the file, resolved against the file folder',
      argv: [],
      env: {},
      file: 'providers:\n  memory:\n    root: state/objects\n',
      expected: { root: join(root, 'state', 'objects'), label: 'junction', pollInterval: 5000 },
    },
    {
      desc: 'a path option from a flag, resolved against the working directory',
      argv: ['--providers.memory.root=state'],
      env: {},
      file: 'providers:\n  memory:\n    root: ignored\n',
      expected: { root: '/srv/state', label: 'junction', pollInterval: 5000 },
    },
    { desc: 'an absolute path as given', argv: ['--providers.memory.root=/var/lib/m'], env: {}, file: undefined, expected: { root: '/var/lib/m', label: 'junction', pollInterval: 5000 } },
  ])('gives a provider $desc', async ({ argv, env, file, expected }) => {
    expect(await load(argv, env, file)).toEqual(expected)
  })

  it.each([
    {
      desc: 'a provider Junction does not have, in the file',
      argv: [],
      env: {},
      file: 'providers:\n  docker:\n    exposedByDefault: false\n',
      given: providers,
      expected: ['providers.docker: the docker provider is not available in Junction yet; available: file, memory'],
    },
    {
      desc: 'a provider Junction does not have, from a flag',
      argv: ['--providers.consulCatalog.prefix=traefik'],
      env: {},
      file: undefined,
      given: providers,
      expected: ['--providers.consulCatalog.prefix: the consulCatalog provider is not available in Junction yet; available: file, memory'],
    },
    {
      desc: 'a provider left out of the list, from the environment',
      argv: [],
      env: { JUNCTION_PROVIDERS_FILE_DIRECTORY: 'dynamic' },
      file: undefined,
      given: [memory],
      expected: ['JUNCTION_PROVIDERS_FILE_DIRECTORY: the file provider is not available in Junction yet; available: memory'],
    },
    {
      desc: 'an option the provider schema does not have',
      argv: ['--providers.memory.rot=/x'],
      env: {},
      file: undefined,
      given: providers,
      expected: ['--providers.memory.rot: unknown key "rot"'],
    },
    { desc: "the provider's own check", argv: ['--providers.memory.pollInterval=10ms'], env: {}, file: undefined, given: providers, expected: ['providers.memory: pollInterval: must be at least 100ms'] },
    {
      desc: "the file provider's check, which moved out of the loader",
      argv: ['--providers.file.watch=false'],
      env: {},
      file: undefined,
      given: providers,
      expected: ['providers.file: set filename or directory'],
    },
  ])('reports $desc', async ({ argv, env, file, given, expected }) => {
    expect(await problems(argv, env, file, given)).toEqual(expected)
  })
})
