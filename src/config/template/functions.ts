import { goBuiltins } from './builtins.ts'
import { normalizeName } from '../labels/normalize.ts'
import { typed, type TemplateFunction } from './signature.ts'
import { sprigDefaults } from './sprig-defaults.ts'
import { sprigDicts } from './sprig-dicts.ts'
import { sprigLists } from './sprig-lists.ts'
import { sprigMath } from './sprig-math.ts'
import { sprigStrings } from './sprig-strings.ts'

/**
 * Go's builtins plus the Sprig subset plus `normalize`: the set Traefik
 * gives file templates and `defaultRule` (`sprig.TxtFuncMap()` with
 * `normalize`, and `split` as Go's `strings.Split`). As in Traefik, a Sprig
 * function takes precedence over a Go builtin of the same name (`slice`).
 * Sprig functions not listed here (dates, crypto, regular expressions,
 * random values...) are unknown: a template using one does not parse.
 */
export const templateFunctions: Readonly<Record<string, TemplateFunction>> = Object.freeze({
  ...goBuiltins,
  ...sprigStrings,
  ...sprigLists,
  ...sprigDicts,
  ...sprigMath,
  ...sprigDefaults,
  normalize: typed('normalize', { params: ['string'] }, normalizeName),
})
