import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dump as yaml } from 'js-yaml'
import { eventually } from '../support/eventually.ts'
import { httpGet } from '../support/http-get.ts'
import { spawnJunction, type JunctionProcess } from '../support/process.ts'

/**
 * The control plane / worker split, through the real `junction` command with
 * `workers: 2`: both workers serve, and each channel (config out, counters
 * in, shared decisions, health, published values) reaches every worker. The
 * probe middleware (test/support/cluster-probe.ts) tells which worker
 * answered; the launcher (test/support/cluster-command.ts) is the real
 * command plus a control line on standard input.
 */

interface Named {
  readonly server: Server
  readonly url: string
}

/** An upstream that answers its name; `/hold` requests wait until released. */
async function named(name: string, held: ServerResponse[] = []): Promise<Named> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/hold')) held.push(res)
    else res.end(name)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** A keep-alive connection of its own, and the worker that serves it. */
async function connectionOn(port: number): Promise<{ pool: Pool; worker: string }> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1, pipelining: 1 })
  const { headers, body } = await pool.request({ path: '/who', method: 'GET' })
  await body.text()
  return { pool, worker: String(headers['x-worker']) }
}

/** A connection served by `worker`: new ones until the kernel hands one to it. */
async function connectionTo(port: number, worker: string): Promise<Pool> {
  return eventually(async () => {
    const connection = await connectionOn(port)
    if (connection.worker === worker) return connection.pool
    await connection.pool.close()
    throw new Error(`the connection went to worker ${connection.worker}, not ${worker}`)
  }, { timeout: 15_000, interval: 0 })
}

/** Sends `/crash` on a connection `worker` serves: that worker dies. */
async function crash(port: number, worker: string): Promise<void> {
  const pool = await connectionTo(port, worker)
  const { statusCode, body } = await pool.request({ path: '/crash', method: 'GET' })
  await body.text()
  expect(statusCode).toBe(200)
  await pool.destroy()
}

interface Instance {
  readonly process: JunctionProcess
  readonly dir: string
  readonly port: number
  write(config: unknown): Promise<void>
  /** Sends a control request and waits for its reply line. */
  control(request: Record<string, unknown>): Promise<Record<string, unknown>>
  /** Waits for a log line whose message matches, among those after `from`. */
  logLine(pattern: RegExp, from?: number): Promise<Record<string, unknown>>
  stop(): Promise<void>
}

async function startInstance(dynamic: unknown, options: { probe: boolean; flags?: string[] }): Promise<Instance> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-workers-'))
  const file = join(dir, 'dynamic.yml')
  await writeFile(file, yaml(dynamic))
  const args = [
    '--entryPoints.web.address=127.0.0.1:0',
    '--workers=2',
    `--providers.file.filename=${file}`,
    '--log.format=json',
    '--log.level=INFO',
    '--providers.providersThrottleDuration=0s',
    ...(options.flags ?? []),
  ]
  const process = spawnJunction(args, { cwd: dir, ...(options.probe && { script: 'test/support/cluster-command.ts', stdin: true }) })
  const logLine = (pattern: RegExp, from = 0): Promise<Record<string, unknown>> =>
    eventually(
      () => {
        const line = process.logs.slice(from).find((entry) => pattern.test(String(entry['msg'])))
        if (line === undefined) throw new Error(`no log line matches ${pattern}; stderr: ${process.stderr()}`)
        return line
      },
      { timeout: 15_000 },
    )
  await logLine(/^configuration generation 1 is live$/)
  const port = await process.port('web')
  let id = 0
  return {
    process,
    dir,
    port,
    write: async (config) => {
      const from = process.logs.length
      await writeFile(file, yaml(config))
      await logLine(/^configuration generation \d+ is live$/, from)
    },
    control: async (request) => {
      const reply = ++id
      process.child.stdin?.write(`${JSON.stringify({ id: reply, ...request })}\n`)
      return eventually(() => {
        const line = process.logs.find((entry) => entry['reply'] === reply)
        if (line === undefined) throw new Error(`no reply to ${JSON.stringify(request)} yet`)
        return line
      })
    },
    logLine,
    stop: async () => {
      process.kill()
      await process.exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Which worker answers each of `count` requests, each on a connection of its own. */
async function workersSeen(port: number, path: string, count: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const { headers } = await httpGet(port, path)
    const worker = String(headers['x-worker'])
    seen.set(worker, (seen.get(worker) ?? 0) + 1)
  }
  return seen
}

describe('workers: 2, the plain junction command', () => {
  let upstream: Named
  let instance: Instance

  beforeAll(async () => {
    upstream = await named('app')
    instance = await startInstance(
      { http: { routers: { all: { rule: 'PathPrefix(`/`)', service: 'app' } }, services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } } } },
      { probe: false },
    )
  })

  afterAll(async () => {
    await instance.stop()
    upstream.server.close()
  })

  it('both workers serve: over 64 keep-alive connections each takes 35% to 65% of the requests, and the counters add up exactly', async () => {
    const total = 6400
    const pool = new Pool(`http://127.0.0.1:${instance.port}`, { connections: 64, pipelining: 1 })
    let sent = 0
    const statuses: number[] = []
    // Each connection takes the next request as soon as it is free: a worker serves as many as it can.
    const client = async (): Promise<void> => {
      while (sent < total) {
        sent++
        const { statusCode, body } = await pool.request({ path: '/', method: 'GET' })
        await body.text()
        statuses.push(statusCode)
      }
    }
    await Promise.all(Array.from({ length: 64 }, client))
    await pool.close()
    expect(statuses.filter((status) => status !== 200)).toEqual([])

    const from = instance.process.logs.length
    instance.process.child.kill('SIGUSR2')
    const line = await instance.logLine(/^traffic counters$/, from)
    const traffic = line['traffic'] as { entryPoints: Record<string, { requests: number }>; routers: Record<string, { requests: number; status: Record<string, number> }> }
    const workers = line['workers'] as Array<{ index: number; requests: number }>
    expect(traffic.entryPoints['web']?.requests).toBe(total)
    expect(traffic.routers['all@file']?.requests).toBe(total)
    expect(traffic.routers['all@file']?.status['2xx']).toBe(total)
    expect(workers.map((worker) => worker.index)).toEqual([0, 1])
    expect(workers.reduce((sum, worker) => sum + worker.requests, 0)).toBe(total)
    for (const worker of workers) {
      expect(worker.requests / total).toBeGreaterThanOrEqual(0.35)
      expect(worker.requests / total).toBeLessThanOrEqual(0.65)
    }
  })
})

describe('workers: 2, every channel through the command', () => {
  const held: ServerResponse[] = []
  let a: Named
  let b: Named
  let instance: Instance

  /** Version k tags its responses `x-config: k`. */
  const dynamic = (k: number) => ({
    http: {
      routers: {
        who: { rule: 'PathPrefix(`/who`)', service: 'pair', middlewares: ['worker'] },
        limit: { rule: 'PathPrefix(`/hold`)', service: 'pair', middlewares: ['limit'] },
        value: { rule: 'PathPrefix(`/value`)', service: 'pair', middlewares: ['value'] },
        crash: { rule: 'PathPrefix(`/crash`)', service: 'pair', middlewares: ['crash'] },
        app: { rule: 'PathPrefix(`/app`)', service: 'pair', middlewares: ['tag'] },
      },
      middlewares: {
        worker: { probe: { action: 'worker' } },
        limit: { probe: { action: 'limit', key: 'held', amount: 5 } },
        value: { probe: { action: 'value', key: 'token' } },
        crash: { probe: { action: 'crash' } },
        tag: { headers: { customResponseHeaders: { 'X-Config': String(k) } } },
      },
      services: { pair: { loadBalancer: { servers: [{ url: a.url }, { url: b.url }] } } },
    },
  })

  beforeAll(async () => {
    a = await named('a', held)
    b = await named('b', held)
    instance = await startInstance(dynamic(1), { probe: true })
  })

  afterAll(async () => {
    for (const res of held) res.end()
    await instance.stop()
    a.server.close()
    b.server.close()
  })

  it('config out: a new generation is live on both workers when the control plane says so', async () => {
    await instance.write(dynamic(2))
    const answers = await Promise.all(Array.from({ length: 20 }, () => httpGet(instance.port, '/app')))
    expect(answers.map((answer) => answer.headers['x-config'])).toEqual(Array(20).fill('2'))
    expect([...(await workersSeen(instance.port, '/who', 40)).keys()].sort()).toEqual(['0', '1'])
  })

  it('shared decisions: an in-flight limit of 5 holds for the instance, not per worker', async () => {
    // One connection per request, so the kernel spreads them over both workers.
    const pools = Array.from({ length: 16 }, () => new Pool(`http://127.0.0.1:${instance.port}`, { connections: 1 }))
    const answers: Array<{ status: number; worker: string }> = []
    const requests = pools.map((pool, i) =>
      pool.request({ path: `/hold/${i}`, method: 'GET' }).then(async (response) => {
        await response.body.text()
        answers.push({ status: response.statusCode, worker: String(response.headers['x-worker']) })
      }),
    )
    // Five reach the servers and wait there; the other eleven are refused, by whichever worker took them.
    await eventually(() => expect({ held: held.length, refused: answers.length }).toEqual({ held: 5, refused: 11 }))
    for (const res of held.splice(0)) res.end('done')
    await Promise.all(requests)
    await Promise.all(pools.map((pool) => pool.close()))
    expect(answers.filter((answer) => answer.status === 429).length).toBe(11)
    expect(answers.filter((answer) => answer.status === 200).length).toBe(5)
    expect(new Set(answers.map((answer) => answer.worker))).toEqual(new Set(['0', '1']))
  })

  it('health: a server marked down is skipped by both workers, and used again once marked up', async () => {
    await instance.control({ op: 'markServer', service: 'pair@file', server: a.url, up: false })
    const down = await Promise.all(Array.from({ length: 20 }, () => httpGet(instance.port, '/app')))
    expect(down.map((answer) => answer.body)).toEqual(Array(20).fill('b'))
    await instance.control({ op: 'markServer', service: 'pair@file', server: a.url, up: true })
    const up = await Promise.all(Array.from({ length: 20 }, () => httpGet(instance.port, '/app')))
    expect(up.filter((answer) => answer.body === 'a').length).toBe(10)
  })

  it('values: a value is on every worker once the control plane says it is ready, and gone once removed', async () => {
    expect((await httpGet(instance.port, '/value')).status).toBe(404)
    await instance.control({ op: 'setValue', key: 'token', value: 'abc.def' })
    const answers = await Promise.all(Array.from({ length: 20 }, () => httpGet(instance.port, '/value')))
    expect(answers.map((answer) => [answer.status, answer.body])).toEqual(Array(20).fill([200, 'abc.def']))
    expect(new Set(answers.map((answer) => answer.headers['x-worker']))).toEqual(new Set(['0', '1']))
    await instance.control({ op: 'setValue', key: 'token' })
    const gone = await Promise.all(Array.from({ length: 20 }, () => httpGet(instance.port, '/value')))
    expect(gone.map((answer) => answer.status)).toEqual(Array(20).fill(404))
  })

  it('a killed worker is replaced and serves the current generation; the other worker\'s connections see no error', async () => {
    const survivors = await Promise.all(Array.from({ length: 8 }, () => connectionTo(instance.port, '1')))
    const errors: unknown[] = []
    let served = 0
    let loading = true
    const load = survivors.map(async (pool) => {
      while (loading) {
        try {
          const { statusCode, headers, body } = await pool.request({ path: '/who', method: 'GET' })
          await body.text()
          if (statusCode !== 200 || headers['x-worker'] !== '1') errors.push(`${statusCode} from worker ${String(headers['x-worker'])}`)
          served++
        } catch (error) {
          errors.push(error)
        }
      }
    })
    const from = instance.process.logs.length
    await crash(instance.port, '0')
    const crashed = await instance.logLine(/^worker 0 crashed: /, from)
    expect(String(crashed['msg'])).toContain('probe: worker 0 crashes on request')
    const replaced = await instance.logLine(/^worker 0 replaced, serving generation \d+$/, from)
    const servedDuringCrash = served
    // The replacement serves the generation the control plane published last, from its first connection.
    await instance.write(dynamic(3))
    const replacement = await connectionTo(instance.port, '0')
    const { headers, body } = await replacement.request({ path: '/app', method: 'GET' })
    await body.text()
    await replacement.close()
    loading = false
    await Promise.all(load)
    await Promise.all(survivors.map((pool) => pool.close()))
    expect(errors).toEqual([])
    expect(servedDuringCrash).toBeGreaterThan(0)
    expect(replaced['generation']).toBe(2)
    expect(headers['x-config']).toBe('3')
  })
})

describe('workers: 2, faults', () => {
  it('a worker that crashes 5 times in 10 s is started again after a delay, not at once', async () => {
    const upstream = await named('app')
    const instance = await startInstance(
      {
        http: {
          routers: { who: { rule: 'PathPrefix(`/who`)', service: 'app', middlewares: ['worker'] }, crash: { rule: 'PathPrefix(`/crash`)', service: 'app', middlewares: ['crash'] } },
          middlewares: { worker: { probe: { action: 'worker' } }, crash: { probe: { action: 'crash' } } },
          services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        },
      },
      { probe: true },
    )
    try {
      for (let crashes = 1; crashes <= 5; crashes++) {
        const from = instance.process.logs.length
        await crash(instance.port, '0')
        await instance.logLine(/^worker 0 crashed: /, from)
        if (crashes < 5) await instance.logLine(/^worker 0 replaced/, from)
      }
      const backoff = await instance.logLine(/^worker 0 crashed 5 times in 10s: starting it again in 1s$/)
      expect({ crashes: backoff['crashes'], delay: backoff['delay'] }).toEqual({ crashes: 5, delay: 1000 })
      const status = await instance.control({ op: 'workers' })
      expect((status['workers'] as Array<{ state: string; crashes: number }>).map(({ state, crashes }) => ({ state, crashes }))).toEqual([
        { state: 'backoff', crashes: 5 },
        { state: 'ready', crashes: 0 },
      ])
      // Meanwhile worker 1 serves every connection; then worker 0 is back.
      expect([...(await workersSeen(instance.port, '/who', 10)).keys()]).toEqual(['1'])
      await instance.logLine(/^worker 0 replaced/, instance.process.logs.indexOf(backoff))
      expect([...(await workersSeen(instance.port, '/who', 40)).keys()].sort()).toEqual(['0', '1'])
    } finally {
      await instance.stop()
      upstream.server.close()
    }
  })

  it('SIGTERM drains both workers: their in-flight requests complete, new connections are refused, exit 0; a second signal exits at once', async () => {
    const held: ServerResponse[] = []
    const upstream = await named('app', held)
    const config = {
      http: {
        routers: { who: { rule: 'PathPrefix(`/who`)', service: 'app', middlewares: ['worker'] }, slow: { rule: 'PathPrefix(`/hold`)', service: 'app', middlewares: ['tag'] } },
        middlewares: { worker: { probe: { action: 'worker' } }, tag: { probe: { action: 'limit', key: 'slow', amount: 100 } } },
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
      },
    }
    const instance = await startInstance(config, { probe: true })
    try {
      const pools = [await connectionTo(instance.port, '0'), await connectionTo(instance.port, '1')]
      const inFlight = pools.map((pool) =>
        pool.request({ path: '/hold', method: 'GET' }).then(async ({ statusCode, headers, body }) => ({ status: statusCode, worker: headers['x-worker'], body: await body.text() })),
      )
      await eventually(() => expect(held.length).toBe(2))
      instance.process.child.kill('SIGTERM')
      await instance.logLine(/^draining$/)
      await eventually(async () => expect(await httpGet(instance.port, '/who').then(() => 'accepted', (error: NodeJS.ErrnoException) => error.code)).toBe('ECONNREFUSED'))
      for (const res of held.splice(0)) res.end('done')
      expect(await Promise.all(inFlight)).toEqual([
        { status: 200, worker: '0', body: 'done' },
        { status: 200, worker: '1', body: 'done' },
      ])
      expect(await instance.process.exited).toEqual({ code: 0, signal: null })
      await Promise.all(pools.map((pool) => pool.destroy()))
    } finally {
      await instance.stop()
    }

    const second = await startInstance(config, { probe: true })
    try {
      const pool = await connectionTo(second.port, '0')
      const stuck = pool.request({ path: '/hold', method: 'GET' }).catch((error: unknown) => error)
      await eventually(() => expect(held.length).toBe(1))
      second.process.child.kill('SIGTERM')
      await second.logLine(/^draining$/)
      second.process.child.kill('SIGTERM')
      expect(await second.process.exited).toEqual({ code: 1, signal: null })
      await second.logLine(/^SIGTERM again: exiting without waiting for the drain$/)
      expect(held.length).toBe(1)
      await stuck
      await pool.destroy()
    } finally {
      for (const res of held.splice(0)) res.end()
      await second.stop()
      upstream.server.close()
    }
  })

  it('passive failures: each worker reports a server that refuses, and the control plane logs it', async () => {
    const instance = await startInstance(
      {
        http: {
          routers: { dead: { rule: 'PathPrefix(`/`)', service: 'dead' } },
          services: { dead: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:1' }] } } },
        },
      },
      { probe: false, flags: ['--log.level=DEBUG'] },
    )
    try {
      await eventually(async () => {
        const statuses = await Promise.all(Array.from({ length: 8 }, () => httpGet(instance.port, '/').then((answer) => answer.status)))
        expect(statuses).toEqual(Array(8).fill(502))
        const reports = instance.process.logs.filter((line) => line['msg'] === 'server http://127.0.0.1:1/ of service dead@file failed: refused')
        expect(new Set(reports.map((line) => line['worker']))).toEqual(new Set([0, 1]))
      })
    } finally {
      await instance.stop()
    }
  })
})
