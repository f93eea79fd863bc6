import * as undici from 'undici'
import { describe, expect, it } from 'vitest'
import { Agent, buildConnector, Pool } from '../../../src/services/undici-parts.ts'

describe('undici parts', () => {
  it('each part loaded from its own module is the one the package exports', () => {
    expect(Agent).toBe(undici.Agent)
    expect(Pool).toBe(undici.Pool)
    expect(buildConnector).toBe(undici.buildConnector)
  })
})
