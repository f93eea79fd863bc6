import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, freePort, sharedContainers, type TestContainers } from '../../support/docker.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../../support/docker-junction.ts'
import { eventually } from '../../support/eventually.ts'

describeDocker('docker provider: container health checks', () => {
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
    await eventually(async () => expect(await junction.reach('pair.docker.test')).toBe(well!.name))
    expect(await healthOf(sick!.id)).toBe('unhealthy')
    for (let request = 0; request < 4; request++) expect(await junction.reach('pair.docker.test')).toBe(well!.name)
  })
})
