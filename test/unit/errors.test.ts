import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorCatalogue } from '../../src/errors.ts'
import { repoRoot } from '../support/process.ts'

/** Rows of the README's "Error codes" table: code, status, meaning. */
function documentedCodes(): Array<{ code: string; status: number; description: string }> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1))
  return [...section.matchAll(/^\| `(JCT_ERR_[A-Z_]+)` \| (\d+|–) \| (.+) \|$/gm)].map(([, code = '', status = '', description = '']) => ({
    code,
    status: status === '–' ? 0 : Number(status),
    description,
  }))
}

describe('error catalogue', () => {
  it('is documented in the README, code for code, with the same status and meaning', () => {
    const catalogue = Object.entries(errorCatalogue).map(([code, { status, description }]) => ({ code, status, description }))
    expect(documentedCodes().sort((a, b) => a.code.localeCompare(b.code))).toEqual(catalogue.sort((a, b) => a.code.localeCompare(b.code)))
  })
})
