#!/usr/bin/env node
/**
 * The `junction` command as npm installs it. Plain JavaScript, so that any
 * Node.js npm itself runs on can start it: Junction is TypeScript run by
 * Node's type stripping (Node >= 22.18), and it brings that Node along as
 * its `node` dependency. When the Node running this file can run Junction,
 * the command runs here, in this process; otherwise (an older system Node, a
 * global install) this file runs again on the bundled Node, as a child that
 * gets this process's arguments, environment, standard streams and signals,
 * and whose exit is this process's exit.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import module from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { stripOwnTypes } from './strip-types.js'

const launcher = fileURLToPath(import.meta.url)
const packageRoot = dirname(dirname(launcher))
const main = join(packageRoot, 'src', 'main.ts')
// Node strips types everywhere but under node_modules, where an installed Junction lives.
const installed = packageRoot.split(sep).includes('node_modules')
// Set for the child this file starts on the bundled Node: that one must not start another.
const relaunchMark = '__JUNCTION_RELAUNCHED'
const relaunched = process.env[relaunchMark] === '1'
delete process.env[relaunchMark]

if (canRunHere()) {
  if (installed) stripOwnTypes(packageRoot)
  // Before the first `.ts` file loads: with the compile cache warm, no thread of Junction loads Node's
  // TypeScript stripper, whose WebAssembly costs each thread some 14 MB (README, "How Junction uses cores").
  module.enableCompileCache?.()
  await import(pathToFileURL(main).href)
} else {
  runOnBundledNode()
}

function canRunHere() {
  if (!process.features.typescript) return false
  return !installed || (typeof module.registerHooks === 'function' && typeof module.stripTypeScriptTypes === 'function')
}

function runOnBundledNode() {
  const node = bundledNode()
  if (node === undefined || relaunched) {
    process.stderr.write(
      `junction: this Node.js (${process.version}) cannot run Junction, and the Node.js 24 that Junction brings (the npm package "node") ` +
        `${relaunched ? 'cannot either' : 'is not installed'}; install Junction again with its dependencies, or run it with Node.js 22.18 or later\n`,
    )
    process.exit(1)
  }
  // In a process group of its own: a terminal's Ctrl-C reaches this process alone, which passes it on
  // once, since Junction reads a second signal as "stop now, drain or not".
  const child = spawn(node, [launcher, ...process.argv.slice(2)], { stdio: 'inherit', detached: true, env: { ...process.env, [relaunchMark]: '1' } })
  const forward = (signal) => child.kill(signal)
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, forward)
  child.on('error', (error) => {
    process.stderr.write(`junction: starting ${node}: ${error.message}\n`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward)
    if (signal === null) process.exit(code ?? 1)
    // Died of a signal: die of the same one, so whoever started this process sees it.
    process.kill(process.pid, signal)
  })
}

/** The Node.js binary of the `node` package, or undefined when it is not installed. */
function bundledNode() {
  try {
    const manifestPath = module.createRequire(import.meta.url).resolve('node/package.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.node
    return typeof bin === 'string' ? join(dirname(manifestPath), bin) : undefined
  } catch {
    return undefined
  }
}
