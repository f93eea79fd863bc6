import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { SourceProblem } from '../../src/provider-plugin.ts'
import type { FoundFile } from './last-good.ts'
import { isSupportedExtension } from '../../src/provider-plugin.ts'

/** What a scan of the source found: every file, or why the source itself could not be read. */
export type ScanResult =
  | { readonly reachable: true; readonly files: readonly FoundFile[] }
  | { readonly reachable: false; readonly problem: SourceProblem }

/**
 * Names that are never configuration: dotfiles and dot-directories (`.git`,
 * Kubernetes' `..data`, vim's `.x.yml.swp`, emacs' `.#x.yml` lock links),
 * backups (`x.yml~`) and emacs autosaves (`#x.yml#`).
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('#') || name.endsWith('~')
}

/**
 * True when a directory scan of `directory` reads `file` (both absolute): a
 * `.yml`, `.yaml` or `.toml` file below it, with no ignored name on the way.
 */
export function isReadFromDirectory(directory: string, file: string): boolean {
  if (!file.startsWith(directory.endsWith(sep) ? directory : directory + sep) || !isSupportedExtension(file)) return false
  return relative(directory, file)
    .split(sep)
    .every((name) => !isIgnoredName(name))
}

/** Reads one configuration file; a missing file makes the source unreachable. */
export async function scanFile(path: string): Promise<ScanResult> {
  try {
    const info = await stat(path)
    if (!info.isFile()) return unreachable(path, 'not a regular file')
    return { reachable: true, files: [await readEntry(path)] }
  } catch (error) {
    return unreachable(path, messageOf(error))
  }
}

/**
 * Reads every `.yml`, `.yaml` and `.toml` file under `root`, recursively, like
 * Traefik: symbolic links to files are followed, links to directories are not
 * (which also rules out cycles). A missing root makes the source unreachable.
 * `excluded` paths (Junction's own log files) are never read.
 */
export async function scanDirectory(root: string, excluded: ReadonlySet<string> = new Set()): Promise<ScanResult> {
  const files: FoundFile[] = []
  try {
    await walk(root, files, true, excluded)
  } catch (error) {
    return unreachable(root, messageOf(error))
  }
  return { reachable: true, files }
}

async function walk(directory: string, files: FoundFile[], isRoot: boolean, excluded: ReadonlySet<string>): Promise<void> {
  let entries
  try {
    entries = await readdir(directory, { withFileTypes: true })
  } catch (error) {
    if (isRoot) throw error
    // A subdirectory removed mid-scan is simply gone; one we may not read is worth a problem.
    if (codeOf(error) !== 'ENOENT') files.push({ path: directory, problem: readProblem(directory, error) })
    return
  }
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue
    const path = join(directory, entry.name)
    if (excluded.has(path)) continue
    if (entry.isDirectory()) await walk(path, files, false, excluded)
    else if (isSupportedExtension(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isLinkToFile(path))))) {
      const found = await readEntry(path).catch((error: unknown) => (codeOf(error) === 'ENOENT' ? undefined : Promise.reject(error)))
      if (found !== undefined) files.push(found)
    }
  }
}

/** Reads a file; a failure other than its disappearance becomes a problem for that file. */
async function readEntry(path: string): Promise<FoundFile> {
  try {
    return { path, content: await readFile(path, 'utf8') }
  } catch (error) {
    if (codeOf(error) === 'ENOENT') throw error
    return { path, problem: readProblem(path, error) }
  }
}

async function isLinkToFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

function unreachable(path: string, cause: string): ScanResult {
  return { reachable: false, problem: { source: path, message: `reading ${path}: ${cause}` } }
}

function readProblem(path: string, error: unknown): SourceProblem {
  return { source: path, message: `reading ${path}: ${messageOf(error)}` }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
