import type { MiddlewareEntry } from '../src/plugin.ts'
import { addPrefixEntry } from './add-prefix/index.ts'
import { chainEntry } from './chain/index.ts'
import { headersEntry } from './headers/index.ts'
import { redirectRegexEntry } from './redirect-regex/index.ts'
import { redirectSchemeEntry } from './redirect-scheme/index.ts'
import { replacePathRegexEntry } from './replace-path-regex/index.ts'
import { replacePathEntry } from './replace-path/index.ts'
import { stripPrefixRegexEntry } from './strip-prefix-regex/index.ts'
import { stripPrefixEntry } from './strip-prefix/index.ts'

/**
 * Every middleware Junction knows, by configuration key. Adding one is a
 * folder under `middlewares/` plus one line here.
 */
export const middlewares: readonly MiddlewareEntry[] = [
  stripPrefixEntry,
  stripPrefixRegexEntry,
  addPrefixEntry,
  replacePathEntry,
  replacePathRegexEntry,
  redirectSchemeEntry,
  redirectRegexEntry,
  headersEntry,
  chainEntry,
]
