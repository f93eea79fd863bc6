import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, freePort, TestContainers } from '../../support/docker.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../../support/docker-junction.ts'
import { PrivateDockerd } from '../../support/docker-private.ts'
import { eventually } from '../../support/eventually.ts'
import { startUpstream, type Upstream } from '../../support/upstream.ts'

/**
 * Against a daemon of the test's own (never the shared one), which the test
 * starts late, stops and starts again.
 */
describeDocker('docker provider: a daemon unreachable at start, or restarted', () => {
  let daemon: PrivateDockerd
  let upstream: Upstream
  let junction: DockerJunction

  beforeAll(async () => {
    daemon = await PrivateDockerd.create()
    upstream = await startUpstream()
    const dynamic = [
      'http:',
      '  routers:',
      '    files:',
      '      rule: "Host(`file.test`)"',
      '      service: files',
      '  services:',
      '    files:',
      '      loadBalancer:',
      '        servers:',
      `          - url: "${upstream.url}"`,
      '',
    ].join('\n')
    junction = await startDockerJunction({ endpoint: daemon.endpoint, dynamic })
  })

  afterAll(async () => {
    await junction?.stop()
    await upstream?.close()
    await daemon?.dispose()
  })

  /** The path the file provider's upstream saw, or the status Junction answered. */
  async function fileRoute(): Promise<string | number> {
    const answer = await junction.reach('file.test', '/files')
    return typeof answer === 'string' ? (JSON.parse(answer) as { url: string }).url : answer
  }

  const warnings = (): Array<Record<string, unknown>> => junction.process.logs.filter((line) => line['level'] === 40 && line['endpoint'] === daemon.endpoint)

  it('serves the other providers while Docker is unreachable at start, and routes containers once the daemon answers', async () => {
    await eventually(async () => expect(await fileRoute()).toBe('/files'))
    await eventually(() => expect(warnings().length).toBeGreaterThanOrEqual(1))
    expect(String(warnings()[0]?.['msg'])).toMatch(
      new RegExp(`^docker provider: reading the docker version at ${daemon.endpoint}: connect ENOENT ${daemon.socketPath}; keeping the last docker configuration, retrying in \\d+ms$`),
    )

    const containers = new TestContainers((await daemon.start()).docker)
    const port = await freePort()
    const container = await containers.httpd({ port, labels: routeLabels(junction, 'late', 'late.docker.test', port) })
    await eventually(async () => expect(await junction.reach('late.docker.test')).toBe(container.name), { timeout: 20_000 })
    await junction.connected()
    expect(await fileRoute()).toBe('/files')
  }, 60_000)

  it('keeps the Docker routes and serves them while the daemon is down, and applies what changed meanwhile once it is back', async () => {
    const containers = new TestContainers((await daemon.start()).docker)
    const [staysPort, goesPort] = [await freePort(), await freePort()]
    const [stays, goes] = await containers.many([
      { port: staysPort, labels: routeLabels(junction, 'stays', 'stays.docker.test', staysPort) },
      { port: goesPort, labels: routeLabels(junction, 'goes', 'goes.docker.test', goesPort) },
    ])
    await eventually(async () => expect([await junction.reach('stays.docker.test'), await junction.reach('goes.docker.test')]).toEqual([stays!.name, goes!.name]))
    const goesPid = (await containers.docker.getContainer(goes!.id).inspect()).State.Pid
    const connections = junction.process.logs.filter((line) => String(line['msg']).startsWith('connected to docker')).length

    // Requests to a Docker route, one after another, from before the stop until after the reconnection.
    const failures: Array<string | number> = []
    let served = 0
    let loading = true
    const load = (async () => {
      while (loading) {
        const answer = await junction.reach('stays.docker.test')
        if (answer === stays!.name) served++
        else failures.push(answer)
      }
    })()

    const warned = warnings().length
    await daemon.stop()
    await eventually(() => expect(warnings().length).toBeGreaterThan(warned))
    const servedWhileDown = served
    await eventually(() => expect(served).toBeGreaterThan(servedWhileDown + 20))
    expect(await junction.reach('goes.docker.test')).toBe(goes!.name)

    // A change no event will report: the container ends while its daemon is down.
    process.kill(goesPid, 'SIGKILL')
    const restarted = await daemon.start()
    const port = await freePort()
    const added = await new TestContainers(restarted.docker).httpd({ port, labels: routeLabels(junction, 'added', 'added.docker.test', port) })
    await junction.connected(connections + 1)
    await eventually(async () => {
      expect(await junction.reach('goes.docker.test')).toBe(404)
      expect(await junction.reach('added.docker.test')).toBe(added.name)
    }, { timeout: 10_000 })
    loading = false
    await load
    expect(failures).toEqual([])
    expect(await junction.reach('stays.docker.test')).toBe(stays!.name)
  }, 60_000)
})
