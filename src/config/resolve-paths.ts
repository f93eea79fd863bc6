import { isAbsolute, resolve } from 'node:path'
import { isPlainObject, setOwn } from './plain-data.ts'
import { fieldsOf, type Schema } from './schema.ts'

/**
 * Resolves, in place, every relative path a static configuration value
 * carries: the string fields its schema marks `path` (`log.filePath`, a
 * provider's `directory`, ACME `storage`). The loader knows no field by
 * name, so a provider's path options resolve like Junction's own.
 *
 * @example
 * resolvePaths(obj({ filePath: str({ path: true }) }), { filePath: 'junction.log' }, '/etc/junction')
 * // { filePath: '/etc/junction/junction.log' }
 */
export function resolvePaths(schema: Schema, value: unknown, base: string): void {
  switch (schema.kind) {
    case 'object':
    case 'oneOf': {
      if (!isPlainObject(value)) return
      for (const [name, field] of Object.entries(fieldsOf(schema))) {
        if (Object.hasOwn(value, name)) value[name] = resolveIn(field, value[name], base)
      }
      return
    }
    case 'map':
      if (isPlainObject(value)) for (const [name, item] of Object.entries(value)) setOwn(value, name, resolveIn(schema.of, item, base))
      return
    case 'list':
      if (Array.isArray(value)) value.forEach((item: unknown, index) => (value[index] = resolveIn(schema.of, item, base)))
      return
    default:
      return
  }
}

/** The value with its paths resolved: a path string is replaced, a container is changed in place. */
function resolveIn(schema: Schema, value: unknown, base: string): unknown {
  if (schema.kind === 'string') {
    return schema.path === true && typeof value === 'string' && value !== '' && !isAbsolute(value) ? resolve(base, value) : value
  }
  resolvePaths(schema, value, base)
  return value
}
