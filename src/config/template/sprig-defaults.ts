import { isEmptyValue } from './sprig-lists.ts'
import { typed, type TemplateFunction } from './signature.ts'

/** Sprig's functions about missing values, and `fail`. */
export const sprigDefaults: Readonly<Record<string, TemplateFunction>> = {
  // `default "x" .v` and `.v | default "x"`: the value unless empty, else the default.
  default: typed('default', { params: ['any'], variadic: 'any' }, (fallback: unknown, ...given: unknown[]) =>
    given.length === 0 || isEmptyValue(given[0]) ? fallback : given[0],
  ),
  empty: typed('empty', { params: ['any'] }, isEmptyValue),
  coalesce: typed('coalesce', { params: [], variadic: 'any' }, (...values: unknown[]) => values.find((value) => !isEmptyValue(value)) ?? null),
  all: typed('all', { params: [], variadic: 'any' }, (...values: unknown[]) => values.every((value) => !isEmptyValue(value))),
  any: typed('any', { params: [], variadic: 'any' }, (...values: unknown[]) => values.some((value) => !isEmptyValue(value))),
  ternary: typed('ternary', { params: ['any', 'any', 'bool'] }, (whenTrue: unknown, whenFalse: unknown, condition: boolean) => (condition ? whenTrue : whenFalse)),
  fail: typed('fail', { params: ['string'] }, (message: string) => {
    throw new Error(message)
  }),
}
