import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootExample, type RunningExample } from '../support/example.ts'

let example: RunningExample
const get = (path: string) => example.get(path)

// Boots examples/quickstart exactly as `npm run quickstart` does, except for
// ports: the whoami servers and the entry point move to free ones, through
// the example's own overrides (WHOAMI_PORTS, extra junction flags).
beforeAll(async () => {
  example = await bootExample('quickstart', { WHOAMI_PORTS: [8081, 8082] })
})

afterAll(async () => {
  await example.stop()
})

describe('examples/quickstart', () => {
  it('balances the two whoami servers', async () => {
    const names = []
    for (let i = 0; i < 4; i++) names.push(/^Name: (.*)$/m.exec((await get('/hello')).body)?.[1])
    // Equal weights alternate; where the cycle starts depends on the warm-up requests.
    const first = names[0] === 'whoami-1' ? ['whoami-1', 'whoami-2'] : ['whoami-2', 'whoami-1']
    expect(names).toEqual([...first, ...first])
  })

  it('strips /api and tags the response on the api router', async () => {
    const response = await get('/api/users')
    expect(response.body).toContain('GET /users HTTP/1.1')
    expect(response.body).toContain('x-forwarded-prefix: /api')
    expect(response.headers['x-served-by']).toBe('junction')
  })

  it('stops cleanly on SIGTERM', async () => {
    example.child.kill('SIGTERM')
    const [code] = await once(example.child, 'exit')
    expect(code).toBe(0)
  })
})
