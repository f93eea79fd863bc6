import { compileTemplate, parseConfigFile, TemplateError, type ParseResult, type SourceFile, type SourceProblem } from '../../src/provider-plugin.ts'

/**
 * What Traefik's file provider gives a dynamic file's template as `.` and
 * `$`: the boolean `false` (so `{{ .Name }}` there is an error, as in
 * Traefik). Templates in files build on functions (`env`, `until`...),
 * not on data.
 */
const templateData = false

/** A file's text after its template ran, or the problem that stopped it. */
export type RenderResult =
  | { readonly ok: true; readonly content: string; readonly templated: boolean }
  | { readonly ok: false; readonly problem: SourceProblem }

/**
 * Runs a dynamic file as a Go template, as Traefik does with every dynamic
 * file (YAML or TOML) before decoding it. A text without `{{` renders to
 * itself, so it is returned as it is (`templated: false`). Never throws: a
 * template that does not parse, fails or passes its limits is a problem on
 * the file, naming the line and column in the file.
 */
export function renderFile(file: SourceFile): RenderResult {
  if (!file.content.includes('{{')) return { ok: true, content: file.content, templated: false }
  try {
    return { ok: true, content: compileTemplate(file.content, { name: file.path }).render(templateData), templated: true }
  } catch (error) {
    return { ok: false, problem: { source: file.path, message: describe(file.path, error) } }
  }
}

function describe(path: string, error: unknown): string {
  if (error instanceof TemplateError) return `template ${path}: line ${error.line}, column ${error.column}: ${error.reason}`
  // Anything else (a stack overflow in a pathological file) is still this file's problem.
  return `template ${path}: ${error instanceof Error ? error.message : String(error)}`
}

/**
 * Renders a file's template, then parses the result. `onRendered` sees the
 * text of every file that was a template (`debugLogGeneratedTemplate`). A
 * parse error in rendered text says so, since its line and column are those
 * of the rendering, not of the file.
 *
 * @example
 * loadConfigFile({ path: 'a.yml', content: 'http:\n  routers:\n{{ range $i := until 2 }}    r{{ $i }}: { rule: "Path(`/{{ $i }}`)", service: s }\n{{ end }}' })
 * // { ok: true, config: { http: { routers: { r0: { ... }, r1: { ... } } } } }
 */
export function loadConfigFile(file: SourceFile, onRendered?: (path: string, content: string) => void): ParseResult {
  const rendered = renderFile(file)
  if (!rendered.ok) return rendered
  if (rendered.templated) onRendered?.(file.path, rendered.content)
  const parsed = parseConfigFile({ path: file.path, content: rendered.content })
  if (parsed.ok || !rendered.templated) return parsed
  const message = `${parsed.problem.message} (in the text the file's template rendered; debugLogGeneratedTemplate logs it)`
  return { ok: false, problem: { ...parsed.problem, message } }
}
