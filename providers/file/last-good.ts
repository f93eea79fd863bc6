import { onlyDynamicSections, type Snapshot, type SourceProblem } from '../../src/provider-plugin.ts'
import { comparePaths, mergeConfigs, type ParsedFile, type SourceFile } from './builder.ts'
import { loadConfigFile } from './template.ts'

/** A file found on disk: its content, or the problem that kept it from being read. */
export type FoundFile = SourceFile | { readonly path: string; readonly problem: SourceProblem }

/** How {@link LastGoodFiles} reads. */
export interface LastGoodOptions {
  /** The static configuration file: only its dynamic sections are taken. */
  readonly staticConfigFile?: string
  /** Sees the text each templated file rendered to, when it is read (`debugLogGeneratedTemplate`). */
  readonly onRendered?: (path: string, content: string) => void
}

/**
 * Remembers the last content of each file that rendered and parsed, so
 * that a file being edited into a broken state (a YAML error, a template
 * error) keeps its last good objects live (and carries its problem)
 * instead of taking them down. A file broken from the start contributes
 * nothing until it is fixed; a file no longer found is forgotten. From the
 * static configuration file, only the dynamic sections are taken, after its
 * template ran, as Traefik's file provider renders whatever file it reads.
 */
export class LastGoodFiles {
  readonly #good = new Map<string, { readonly content: string; readonly config: Record<string, unknown> }>()
  readonly #options: LastGoodOptions

  constructor(options: LastGoodOptions = {}) {
    this.#options = options
  }

  /** The whole snapshot for `found`, the complete list of files now on disk. */
  build(found: readonly FoundFile[]): Snapshot {
    const parsed: ParsedFile[] = []
    const problems: SourceProblem[] = []
    for (const file of [...found].sort((a, b) => comparePaths(a.path, b.path))) {
      const good = this.#resolve(file, problems)
      if (good !== undefined) parsed.push({ path: file.path, config: good })
    }
    const present = new Set(found.map((file) => file.path))
    for (const path of this.#good.keys()) if (!present.has(path)) this.#good.delete(path)
    const merged = mergeConfigs(parsed)
    return { config: merged.config, problems: [...problems, ...merged.problems] }
  }

  #resolve(file: FoundFile, problems: SourceProblem[]): Record<string, unknown> | undefined {
    const good = this.#good.get(file.path)
    if ('problem' in file) {
      problems.push(file.problem)
      return good?.config
    }
    // Unchanged text needs no second rendering nor parse; most scans change one file of many.
    if (good?.content === file.content) return good.config
    const result = loadConfigFile(file, this.#options.onRendered)
    if (!result.ok) {
      problems.push(result.problem)
      return good?.config
    }
    const config = file.path === this.#options.staticConfigFile ? onlyDynamicSections(result.config) : result.config
    this.#good.set(file.path, { content: file.content, config })
    return config
  }
}
