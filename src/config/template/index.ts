import { defaultMaxOutputBytes, defaultMaxSteps, withBudget, type Budget } from './budget.ts'
import { execute, type Program } from './exec.ts'
import { templateFunctions } from './functions.ts'
import { parseTemplate } from './parser.ts'
import type { TemplateFunction } from './signature.ts'
import { Sink } from './sink.ts'
import { TemplateError, TemplateFault } from './template-error.ts'

export { templateFunctions } from './functions.ts'
// Traefik's Normalize, the same function discovery providers name routers with.
export { normalizeName as normalize } from '../labels/normalize.ts'
export { TemplateError } from './template-error.ts'
export type { TemplateFunction } from './signature.ts'

export interface TemplateOptions {
  /** Names the template in errors (`name:line:col: ...`): a file's path, an option's name. Default `template`. */
  readonly name?: string
  /** Functions added to (or replacing some of) {@link templateFunctions}. */
  readonly functions?: Readonly<Record<string, TemplateFunction>>
}

/** What one render may spend; past either, it stops with a {@link TemplateError}. */
export interface RenderLimits {
  /** Largest output, and largest string a function may build, in UTF-8 bytes. Default 16 MiB. */
  readonly maxOutputBytes?: number
  /** Evaluation steps (nodes, commands, iterations, shares of a function's work). Default 1,000,000. */
  readonly maxSteps?: number
}

export interface Template {
  /**
   * Renders with `data` as `.` and `$`. Throws a {@link TemplateError}
   * naming the position that failed. Data is read the way Go reads it: a
   * plain object (or a `Map`) is a map, whose missing keys print
   * `<no value>`; an instance of a class is a struct, whose unknown fields
   * (`{{ .Nmae }}`) are an error, and whose methods can be called
   * (`{{ .Greet "x" }}`); arrays are lists; `null` is nil.
   */
  render(data: unknown, limits?: RenderLimits): string
}

const identifier = /^[\p{L}_][\p{L}\p{Nd}_]*$/u

/**
 * Parses a Go `text/template` once; render it as often as needed. A
 * function the template names must exist when it is parsed, as in Go.
 * Throws {@link TemplateError} (`JCT_ERR_TEMPLATE`, message
 * `name:line:col: reason`) for bad syntax or an unknown function.
 *
 * @example
 * const rule = compileTemplate('Host(`{{ normalize .Name }}.example.com`)', { name: 'defaultRule' })
 * rule.render({ Name: 'my_app' }) // 'Host(`my-app.example.com`)'
 *
 * @example
 * compileTemplate('{{ range $i := until 3 }}r{{ $i }} {{ end }}').render(false) // 'r0 r1 r2 '
 */
export function compileTemplate(text: string, options: TemplateOptions = {}): Template {
  const name = options.name ?? 'template'
  // No prototype: `constructor` or `toString` are not functions a template can name.
  const functions: Record<string, TemplateFunction> = Object.assign(Object.create(null) as Record<string, TemplateFunction>, templateFunctions)
  for (const [fnName, fn] of Object.entries(options.functions ?? {})) {
    if (!identifier.test(fnName)) throw new TypeError(`template function name ${JSON.stringify(fnName)} is not a valid identifier`)
    if (typeof fn !== 'function') throw new TypeError(`template function ${fnName}: expected a function, got ${typeof fn}`)
    functions[fnName] = fn
  }
  const program: Program = { parsed: locate(name, text, () => parseTemplate(text, (fn) => fn in functions)), functions, text }
  return {
    render(data: unknown, limits: RenderLimits = {}): string {
      const maxBytes = positive('maxOutputBytes', limits.maxOutputBytes ?? defaultMaxOutputBytes)
      const maxSteps = positive('maxSteps', limits.maxSteps ?? defaultMaxSteps)
      const budget: Budget = { steps: maxSteps, maxSteps, maxBytes }
      const out = new Sink(maxBytes, (limit) => `output exceeds ${limit} bytes (maxOutputBytes)`)
      locate(name, text, () => withBudget(budget, () => execute(program, data, out)))
      return out.toString()
    },
  }
}

function positive(option: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`render limit ${option}: expected a positive integer, got ${value}`)
  return value
}

/** Runs `body`, turning a fault at an offset into a {@link TemplateError} at a line and column. */
function locate<T>(name: string, text: string, body: () => T): T {
  try {
    return body()
  } catch (error) {
    if (!(error instanceof TemplateFault)) throw error
    const before = text.slice(0, error.offset)
    const line = before.split('\n').length
    const column = error.offset - before.lastIndexOf('\n')
    throw new TemplateError(name, line, column, error.message, error.cause === undefined ? undefined : { cause: error.cause })
  }
}
