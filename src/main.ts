#!/usr/bin/env node
/**
 * The `junction` command: print the usage or the version, or read the static
 * configuration (file, environment, flags), start the control plane and its
 * workers, and drain gracefully on SIGTERM or SIGINT (see `run.ts`).
 */
import { enableCompileCache } from 'node:module'

// Before any other module loads: with the compile cache warm, a thread loads Junction's `.ts` files without
// Node's TypeScript stripper, whose WebAssembly costs each thread some 14 MB (README, "How Junction uses cores").
enableCompileCache()
const { runCommand } = await import('./run.ts')

runCommand(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`junction: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
