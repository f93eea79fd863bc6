import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load as parseYaml } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { middlewares } from '../../../middlewares/index.ts'
import { decodeLabels } from '../../../src/config/labels/decode-labels.ts'
import { obj } from '../../../src/config/schema.ts'
import { validateDynamic } from '../../../src/config/validate-dynamic.ts'
import { testMiddlewareContext } from '../../support/context.ts'
import { repoRoot } from '../../support/process.ts'

/** Rows of the README's middleware catalogue: name, YAML one-liner, Docker label(s). */
function catalogue(): Array<{ middleware: string; yaml: string; labels: string[] }> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('### Middlewares'), readme.indexOf('### Providers'))
  return section
    .split('\n')
    .filter((line) => /^\| `[a-zA-Z]+` \|/.test(line))
    .map((line) => {
      const [middleware = '', , yaml = '', label = ''] = line.slice(2, -2).split(' | ')
      const [first = '', ...more] = [...label.matchAll(/`([^`]+)`/g)].map(([, text = '']) => text)
      // `….replacement=x` continues the first label's key, without its last segment.
      const stem = first.slice(0, first.slice(0, first.indexOf('=')).lastIndexOf('.'))
      return { middleware: middleware.replaceAll('`', ''), yaml: yaml.replaceAll('`', ''), labels: [first, ...more.map((text) => stem + text.slice(1))] }
    })
}

describe('README middleware catalogue', () => {
  const rows = catalogue()

  it('has a row for every path and redirect middleware', () => {
    expect(rows.map((row) => row.middleware)).toEqual(expect.arrayContaining(['addPrefix', 'stripPrefix', 'stripPrefixRegex', 'replacePath', 'replacePathRegex', 'redirectScheme', 'redirectRegex']))
  })

  it.each(rows)('$middleware: the YAML and the label say the same, and build', ({ middleware, yaml, labels }) => {
    const fromYaml = validateDynamic({ http: { middlewares: parseYaml(yaml) } })
    const decoded = decodeLabels(Object.fromEntries(labels.map((label) => [label.slice(0, label.indexOf('=')), label.slice(label.indexOf('=') + 1)])), { prefix: 'junction', own: obj({}) })
    const fromLabels = validateDynamic(decoded.config)
    expect({ yaml: fromYaml.errors, labels: [...decoded.errors, ...fromLabels.errors] }).toEqual({ yaml: [], labels: [] })
    const [[name, definition]] = Object.entries(fromYaml.config.http?.middlewares ?? {}) as [[string, Record<string, Record<string, unknown>>]]
    expect(fromLabels.config.http?.middlewares).toEqual({ [name]: definition })
    const entry = middlewares.find((candidate) => candidate.type === middleware)
    expect(() => entry?.create(definition[middleware] ?? {}, testMiddlewareContext())).not.toThrow()
  })
})
