import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

const fixtures = new URL('../fixtures/', import.meta.url)

/** A fixture rendered into a temporary folder of its own. */
export interface RenderedFixture {
  /** The rendered file: what `--configFile` and `providers.file.filename` name. */
  readonly path: string
  remove(): Promise<void>
}

// The one template form our fixtures use: `{{ .Name }}`, as in Traefik's Go templates.
const placeholder = /\{\{\s*\.([A-Za-z][A-Za-z0-9]*)\s*\}\}/g

/**
 * Fills a fixture's `{{ .Name }}` placeholders, the way Traefik's suite
 * adapts its fixtures, and writes it to a fresh temporary folder.
 * `SelfFilename` is always the rendered file itself, so a one-file
 * configuration can point `providers.file.filename` at itself.
 *
 * @throws Error when the fixture names a value that is not given, or keeps
 *   anything that looks like a template: a typo must not reach Junction.
 */
export async function renderFixture(name: string, values: Readonly<Record<string, string>> = {}): Promise<RenderedFixture> {
  const template = await readFile(new URL(name, fixtures), 'utf8')
  const dir = await mkdtemp(join(tmpdir(), 'junction-traefik-'))
  const path = join(dir, basename(name))
  const all: Record<string, string> = { ...values, SelfFilename: path }
  const text = template.replace(placeholder, (_, key: string) => {
    const value = all[key]
    if (value === undefined) throw new Error(`fixture ${name}: no value for {{ .${key} }}`)
    return value
  })
  if (text.includes('{{')) throw new Error(`fixture ${name}: a placeholder is left that is not of the form {{ .Name }}`)
  await writeFile(path, text)
  return { path, remove: () => rm(dir, { recursive: true, force: true }) }
}
