import { isPlainObject } from './plain-data.ts'
import { fieldsOf, type Schema } from './schema.ts'
import { joinPath } from './coerce.ts'

/**
 * The options a static configuration sets that Junction accepts but does not
 * honour yet (schema nodes marked `ignored`), one warning each, so nothing a
 * user configures is silently dropped. A value equal to the option's default
 * changes nothing and is not reported; nothing below an ignored option is.
 *
 * @example
 * ignoredOptions(schema, { accessLog: { format: 'json' } })
 * // ['accessLog: not honoured yet, ignored: the access log arrives with the observability work']
 */
export function ignoredOptions(schema: Schema, value: unknown, path = ''): string[] {
  if (value === undefined) return []
  if (schema.ignored !== undefined) {
    if (schema.default !== undefined && JSON.stringify(schema.default) === JSON.stringify(value)) return []
    return [`${path}: not honoured yet, ignored: ${schema.ignored}`]
  }
  switch (schema.kind) {
    case 'object':
    case 'oneOf': {
      if (!isPlainObject(value)) return []
      const fields = fieldsOf(schema)
      return Object.entries(value).flatMap(([key, item]) => (fields[key] === undefined ? [] : ignoredOptions(fields[key], item, joinPath(path, key))))
    }
    case 'map':
      return isPlainObject(value) ? Object.entries(value).flatMap(([key, item]) => ignoredOptions(schema.of, item, joinPath(path, key))) : []
    case 'list':
      return Array.isArray(value) ? value.flatMap((item, index) => ignoredOptions(schema.of, item, `${path}[${index}]`)) : []
    default:
      return []
  }
}
