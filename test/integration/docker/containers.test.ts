import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, freePort, sharedContainers, type TestContainers } from '../../support/docker.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../../support/docker-junction.ts'
import { eventually } from '../../support/eventually.ts'

describeDocker('docker provider: containers come and go, healthy or not', () => {
  let junction: DockerJunction
  let containers: TestContainers

  beforeAll(async () => {
    containers = sharedContainers()
    junction = await startDockerJunction({ endpoint: 'unix:///var/run/docker.sock' })
    await junction.connected()
  })

  afterAll(async () => {
    await junction?.stop()
    await containers?.removeAll()
  })

  it('routes a labelled container within 2 s of its start, and stops routing it within 2 s of its stop', async () => {
    const port = await freePort()
    const container = await containers.httpd({ port, labels: routeLabels(junction, 'web', 'web.docker.test', port) })
    const started = Date.now()
    await eventually(async () => expect(await junction.reach('web.docker.test')).toBe(container.name), { timeout: 2000 })
    expect(Date.now() - started).toBeLessThan(2000)

    await containers.stop(container.id)
    const stopped = Date.now()
    await eventually(async () => expect(await junction.reach('web.docker.test')).toBe(404), { timeout: 2000 })
    expect(Date.now() - stopped).toBeLessThan(2000)
  })

  it('makes two replicas of a service one service with two servers, both answering', async () => {
    const ports = [await freePort(), await freePort()]
    const replicas = await containers.many(ports.map((port) => ({ port, labels: routeLabels(junction, 'app', 'app.docker.test', port) })))
    const names = replicas.map((replica) => replica.name).sort()
    await eventually(
      async () => {
        const answers = new Set<string | number>()
        for (let request = 0; request < 6; request++) answers.add(await junction.reach('app.docker.test'))
        expect([...answers].sort()).toEqual(names)
      },
      { timeout: 5000 },
    )
    // One service, not two: the replicas do not conflict, so nothing was reported.
    expect(junction.process.logs.filter((line) => line['level'] === 50)).toEqual([])
  })

  it('routes only the containers its constraints select', async () => {
    const [mine, other] = [await freePort(), await freePort()]
    const routed = await containers.httpd({ port: mine, labels: routeLabels(junction, 'mine', 'mine.docker.test', mine) })
    await containers.httpd({
      port: other,
      labels: { ...routeLabels(junction, 'other', 'other.docker.test', other), 'junction-test.run': 'someone-else' },
    })
    await eventually(async () => expect(await junction.reach('mine.docker.test')).toBe(routed.name))
    expect(await junction.reach('other.docker.test')).toBe(404)
  })

  async function healthOf(id: string): Promise<string | undefined> {
    return (await containers.docker.getContainer(id).inspect()).State.Health?.Status
  }

  it('routes a container with a health check only while Docker calls it healthy', async () => {
    const port = await freePort()
    const container = await containers.httpd({ port, healthy: false, labels: routeLabels(junction, 'checked', 'checked.docker.test', port) })
    await eventually(async () => expect(await healthOf(container.id)).toBe('unhealthy'))
    // Running and serving, but unhealthy: not routed.
    expect(await junction.reach('checked.docker.test')).toBe(404)

    await containers.setHealthy(container.id, true)
    await eventually(async () => expect(await junction.reach('checked.docker.test')).toBe(container.name))
    expect(await healthOf(container.id)).toBe('healthy')

    await containers.setHealthy(container.id, false)
    await eventually(async () => expect(await junction.reach('checked.docker.test')).toBe(404))
    expect(await healthOf(container.id)).toBe('unhealthy')

    await containers.setHealthy(container.id, true)
    await eventually(async () => expect(await junction.reach('checked.docker.test')).toBe(container.name))
  })

  it('keeps serving from the healthy replica while the other is unhealthy', async () => {
    const ports = [await freePort(), await freePort()]
    const [sick, well] = await containers.many(ports.map((port, index) => ({ port, healthy: index === 1, labels: routeLabels(junction, 'pair', 'pair.docker.test', port) })))
    await eventually(async () => expect([await healthOf(sick!.id), await healthOf(well!.id)]).toEqual(['unhealthy', 'healthy']))
    await eventually(async () => expect(await junction.reach('pair.docker.test')).toBe(well!.name))
    for (let request = 0; request < 4; request++) expect(await junction.reach('pair.docker.test')).toBe(well!.name)
  })
})
