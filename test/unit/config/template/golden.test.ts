import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { compileTemplate } from '../../../../src/config/template/index.ts'
import { parseConfigFile } from '../../../../src/config/parse-document.ts'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

/**
 * The templated examples of Traefik's documentation: the file provider's
 * "Go Templating" examples (YAML and TOML, as v3.7 and v3.6 publish them),
 * the providers' `defaultRule` (default and with a label), and the
 * `kubectl -o go-template` of the migration guide. `<case>.tmpl` renders
 * to `<case>.expected`, with `<case>.data.json` as the data (else `false`,
 * what the file provider passes) and MY_ENV_VAR=prod, as the examples
 * read it. The expected files were written by an independent expansion of
 * the examples' `range`/`until`/`env`, not by this engine.
 */
const cases = readdirSync(fixtures)
  .filter((name) => name.endsWith('.tmpl'))
  .map((name) => name.slice(0, -'.tmpl'.length))
  .sort()

function read(name: string): string | undefined {
  try {
    return readFileSync(join(fixtures, name), 'utf8')
  } catch {
    return undefined
  }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('Traefik documentation examples: golden renderings', () => {
  it('has the cases it is meant to have', () => {
    expect(cases).toEqual([
      'docker-custom-label-rule',
      'docker-default-rule',
      'kubectl-ingress-hostname',
      'kubectl-ingress-ip',
      'traefik-v3.6-file-toml.toml',
      'traefik-v3.6-file-yaml.yml',
      'traefik-v3.7-file-toml.toml',
      'traefik-v3.7-file-yaml.yml',
    ])
  })

  it.each(cases)('%s', (name) => {
    vi.stubEnv('MY_ENV_VAR', 'prod')
    const data = read(`${name}.data.json`)
    const rendered = compileTemplate(read(`${name}.tmpl`) ?? '', { name }).render(data === undefined ? false : JSON.parse(data))
    // UPDATE_GOLDEN=1 rewrites the expected files; review the diff before committing it.
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(join(fixtures, `${name}.expected`), rendered)
    expect(rendered).toBe(read(`${name}.expected`))
  })

  it.each([
    { name: 'traefik-v3.7-file-yaml.yml', routers: 100, services: 100, certificates: 10 },
    { name: 'traefik-v3.7-file-toml.toml', routers: 100, services: 100, certificates: 10 },
    { name: 'traefik-v3.6-file-yaml.yml', routers: 100, services: 100, certificates: 10 },
  ])('$name renders to a configuration with its routers, services and certificates', ({ name, routers, services, certificates }) => {
    const parsed = parseConfigFile({ path: name, content: read(`${name}.expected`) ?? '' })
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const http = parsed.config['http'] as { routers: object; services: object }
    const tls = parsed.config['tls'] as { certificates: unknown[] }
    expect([Object.keys(http.routers).length, Object.keys(http.services).length, tls.certificates.length]).toEqual([routers, services, certificates])
    expect(Object.keys(http.routers)[0]).toBe('router0-prod')
  })

  it('v3.6 published a TOML example that redefines its services: it renders, and then does not parse, as in Traefik', () => {
    const parsed = parseConfigFile({ path: 'example.toml', content: read('traefik-v3.6-file-toml.toml.expected') ?? '' })
    expect(parsed.ok).toBe(false)
  })
})
