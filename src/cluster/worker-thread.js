/**
 * The script every worker thread starts with. Plain JavaScript for the same
 * reason as `src/bin.js`: an installed Junction lives under node_modules,
 * where Node does not strip types, and hooks registered in the main thread
 * do not reach this one, so it registers its own before loading any `.ts`.
 */
import module from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { stripOwnTypes } from '../strip-types.js'

const packageRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))))
if (packageRoot.split(sep).includes('node_modules')) stripOwnTypes(packageRoot)
// The same cache as the control plane's (src/main.ts): a warm one spares this thread Node's TypeScript stripper.
module.enableCompileCache()
await import(pathToFileURL(join(packageRoot, 'src', 'cluster', 'worker-main.ts')).href)
// Written now rather than at exit, so the workers started after this one find every module compiled.
module.flushCompileCache()
