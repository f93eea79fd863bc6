import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventually } from '../../../support/eventually.ts'
import { clean, cleanUp, logged, routersConfig, routersYaml, start, tempDir, writeFiles } from './harness.ts'

afterEach(async () => {
  vi.unstubAllEnvs()
  await cleanUp()
})

/** A file whose template declares one router per name, as {@link routersYaml} writes them. */
function templatedRouters(...names: string[]): string {
  return `http:\n  routers:\n{{- range list ${names.map((name) => `"${name}"`).join(' ')} }}\n    {{ . }}:\n      rule: Host(\`{{ . }}.example\`)\n      service: app\n{{- end }}\n`
}

describe('file provider: dynamic files are Go templates', () => {
  it('renders YAML and TOML files before parsing them, in a directory and as the single file', async () => {
    vi.stubEnv('JUNCTION_TEMPLATE_ROUTER', 'fromenv')
    const root = await tempDir()
    await writeFiles(root, {
      'a.yml': templatedRouters('a', 'b'),
      'c.toml': '{{ range until 1 }}[http.routers.c]\nrule = "Host(`c.example`)"\nservice = "app"{{ end }}\n',
      'single.yml': 'http:\n  routers:\n    {{ env "JUNCTION_TEMPLATE_ROUTER" }}:\n      rule: Host(`fromenv.example`)\n      service: app\n',
    })
    const directory = start({ directory: root, watch: false })
    await directory.done
    expect(directory.snapshots).toEqual([clean(routersConfig('a', 'b', 'c', 'fromenv'))])
    const single = start({ filename: join(root, 'single.yml'), watch: false })
    await single.done
    expect(single.snapshots).toEqual([clean(routersConfig('fromenv'))])
  })

  it('a template error is a problem on that file, naming the line and column; the file\'s last good objects stay live', async () => {
    const root = await tempDir()
    const path = join(root, 'a.yml')
    await writeFiles(root, { 'a.yml': templatedRouters('a'), 'b.yml': routersYaml('b') })
    const run = start({ directory: root, watch: true })
    await eventually(() => expect(run.snapshots).toEqual([clean(routersConfig('a', 'b'))]))

    await writeFile(path, 'http:\n  routers:\n    {{ nope }}: {}\n')
    const problem = { source: path, message: `template ${path}: line 3, column 8: function "nope" not defined` }
    await eventually(() => expect(run.snapshots.at(-1)).toEqual({ config: routersConfig('a', 'b'), problems: [problem] }))
    expect(logged(run, problem.message)).toBe(1)

    // A render error (a limit reached) is the same kind of problem.
    await writeFile(path, '{{ range until 100000000 }}x{{ end }}')
    const limit = { source: path, message: `template ${path}: line 1, column 10: evaluation exceeds 1000000 steps (maxSteps)` }
    await eventually(() => expect(run.snapshots.at(-1)).toEqual({ config: routersConfig('a', 'b'), problems: [limit] }))

    await writeFile(path, templatedRouters('a2'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a2', 'b'))))
  })

  it('a file whose template fails from the start contributes nothing until it is fixed', async () => {
    const root = await tempDir()
    const path = join(root, 'a.yml')
    await writeFiles(root, { 'a.yml': 'http: {{ .Name }}\n', 'b.yml': routersYaml('b') })
    const run = start({ directory: root, watch: true })
    const problem = { source: path, message: `template ${path}: line 1, column 10: executing at <.Name>: can't evaluate field Name in type bool` }
    await eventually(() => expect(run.snapshots).toEqual([{ config: routersConfig('b'), problems: [problem] }]))

    await writeFile(path, templatedRouters('a'))
    await eventually(() => expect(run.snapshots.at(-1)).toEqual(clean(routersConfig('a', 'b'))))
  })

  it('renders the static configuration file too, then takes its dynamic sections, as Traefik\'s provider does', async () => {
    vi.stubEnv('JUNCTION_TEMPLATE_HOST', 'static')
    const root = await tempDir()
    const path = join(root, 'traefik.yml')
    const content = [
      'entryPoints:',
      '  web:',
      '    address: ":8000"',
      'providers:',
      '  file:',
      '    filename: traefik.yml',
      'http:',
      '  routers:',
      '    static:',
      `      rule: 'Host(\`{{ env "JUNCTION_TEMPLATE_HOST" }}.example\`)'`,
      '      service: app',
      '',
    ].join('\n')
    await writeFiles(root, { 'traefik.yml': content })
    const run = start({ filename: path, watch: false, staticConfigFile: path })
    await run.done
    expect(run.snapshots).toEqual([clean(routersConfig('static'))])
  })
})

describe('file provider: debugLogGeneratedTemplate', () => {
  it('logs, at DEBUG and naming the file, the text each templated file renders to, again after it changes', async () => {
    const root = await tempDir()
    const path = join(root, 'a.yml')
    await writeFiles(root, { 'a.yml': templatedRouters('a'), 'plain.yml': routersYaml('plain') })
    const run = start({ directory: root, watch: true, debugLogGeneratedTemplate: true })
    await eventually(() => expect(run.snapshots).toHaveLength(1))
    const rendered = (names: string[]): string => routersYaml(...names)
    expect(run.logs.filter((line) => line.msg.startsWith('template '))).toEqual([
      expect.objectContaining({ level: 20, file: path, msg: `template ${path} rendered:\n${rendered(['a'])}` }),
    ])

    await writeFile(path, templatedRouters('a', 'z'))
    await eventually(() => expect(run.snapshots).toHaveLength(2))
    expect(run.logs.filter((line) => line.msg.startsWith('template ')).map((line) => line.msg)).toEqual([
      `template ${path} rendered:\n${rendered(['a'])}`,
      `template ${path} rendered:\n${rendered(['a', 'z'])}`,
    ])
  })

  it('logs nothing of the kind when it is off', async () => {
    const root = await tempDir()
    await writeFiles(root, { 'a.yml': templatedRouters('a') })
    const run = start({ directory: root, watch: false })
    await run.done
    expect(run.snapshots).toEqual([clean(routersConfig('a'))])
    expect(run.logs.filter((line) => line.msg.startsWith('template '))).toEqual([])
  })
})
