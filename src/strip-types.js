/**
 * Type stripping for an installed Junction. Plain JavaScript: it runs
 * before any `.ts` file can load, in the main thread (`src/bin.js`) and in
 * every worker thread (`src/cluster/worker-thread.js`), since module hooks
 * belong to the thread that registers them.
 */
import { readFileSync } from 'node:fs'
import module from 'node:module'
import { join, sep } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Strips the types of Junction's own `.ts` files under `packageRoot` as they
 * load, with Node's own stripper (the same erasable-syntax-only transform
 * it applies outside node_modules). The files of its dependencies are
 * JavaScript and untouched.
 */
export function stripOwnTypes(packageRoot) {
  const root = pathToFileURL(packageRoot + sep).href
  const dependencies = pathToFileURL(join(packageRoot, 'node_modules') + sep).href
  module.registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith(root) || url.startsWith(dependencies) || !url.endsWith('.ts')) return nextLoad(url, context)
      return { format: 'module', source: quietly(() => module.stripTypeScriptTypes(readFileSync(new URL(url), 'utf8'))), shortCircuit: true }
    },
  })
}

/** Node 24 marks `stripTypeScriptTypes` experimental and says so on stderr at first use; the pinned `node` dependency is what was tested. */
function quietly(strip) {
  const emitWarning = process.emitWarning
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning).includes('stripTypeScriptTypes')) emitWarning.call(process, warning, ...rest)
  }
  try {
    return strip()
  } finally {
    process.emitWarning = emitWarning
  }
}
