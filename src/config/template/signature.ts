import { charge } from './budget.ts'
import { ArgumentError } from './template-error.ts'
import { kindOf, typeName } from './values.ts'

/** A function the template engine calls: arguments in, one value out; a thrown error stops the render. */
export type TemplateFunction = (...args: unknown[]) => unknown

/**
 * The Go parameter types the built-in functions declare: `any` is Go's
 * `interface{}`, `int` a whole number, `float` any number.
 */
export type ParamType = 'any' | 'string' | 'int' | 'float' | 'bool' | 'map'

export interface Signature {
  readonly params: readonly ParamType[]
  /** Type of the `...` parameter after `params`, if the function is variadic. */
  readonly variadic?: ParamType
}

const signatures = new WeakMap<TemplateFunction, Signature>()

/** The declared signature of a built-in function, for the evaluator to check the argument count before evaluating them, as Go does. */
export function signatureOf(fn: TemplateFunction): Signature | undefined {
  return signatures.get(fn)
}

/**
 * Wraps `body` with Go's argument checks: the count, and each argument's
 * type (`repeat "3" "x"` is an error, not a coercion). A missing value
 * (`undefined`) arrives as `nil` (`null`), as Go passes an invalid value to
 * an `interface{}` parameter.
 *
 * @example
 * const repeat = typed('repeat', { params: ['int', 'string'] }, (count: number, text: string) => text.repeat(count))
 */
export function typed<Args extends unknown[]>(name: string, signature: Signature, body: (...args: Args) => unknown): TemplateFunction {
  const fn: TemplateFunction = (...args) => {
    const fixed = signature.params.length
    if (signature.variadic === undefined ? args.length !== fixed : args.length < fixed) {
      const want = signature.variadic === undefined ? `${fixed}` : `at least ${fixed}`
      throw new ArgumentError(`wrong number of args for ${name}: want ${want} got ${args.length}`)
    }
    const checked = args.map((arg, index) => check(name, index, signature.params[index] ?? signature.variadic ?? 'any', arg))
    // String functions walk their strings: a long one costs more than a short one.
    let work = 1
    for (const arg of checked) if (typeof arg === 'string') work += Math.floor(arg.length / 64)
    charge(work)
    return body(...(checked as Args))
  }
  signatures.set(fn, signature)
  return fn
}

function check(name: string, index: number, type: ParamType, arg: unknown): unknown {
  const value = arg === undefined ? null : arg
  const kind = kindOf(value)
  const ok =
    type === 'any' ||
    (type === 'string' && kind === 'string') ||
    (type === 'int' && kind === 'int') ||
    (type === 'float' && (kind === 'int' || kind === 'float')) ||
    (type === 'bool' && kind === 'bool') ||
    (type === 'map' && kind === 'map')
  if (!ok) throw new ArgumentError(`wrong type for argument ${index + 1} of ${name}: expected ${goType(type)}, got ${typeName(value)}`)
  return typeof value === 'bigint' ? Number(value) : value
}

function goType(type: ParamType): string {
  return type === 'float' ? 'float64' : type === 'any' ? 'interface {}' : type === 'map' ? 'map[string]interface {}' : type
}
