import type { MiddlewareEntry } from '../src/plugin.ts'
import { chainEntry } from './chain/index.ts'
import { headersEntry } from './headers/index.ts'
import { stripPrefixEntry } from './strip-prefix/index.ts'

/**
 * Every middleware Junction knows, by configuration key. Adding one is a
 * folder under `middlewares/` plus one line here.
 */
export const middlewares: readonly MiddlewareEntry[] = [
  stripPrefixEntry,
  headersEntry,
  chainEntry,
]
