import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, freePort, sharedContainers, type TestContainers } from '../../support/docker.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../../support/docker-junction.ts'
import { eventually } from '../../support/eventually.ts'

describeDocker('docker provider: labels', () => {
  /** Reads containers labelled for Traefik. */
  let traefik: DockerJunction
  /** Junction's own prefix, and a default rule of the test's. */
  let junction: DockerJunction
  let containers: TestContainers

  beforeAll(async () => {
    containers = sharedContainers()
    const started = await Promise.allSettled([
      startDockerJunction({ endpoint: 'unix:///var/run/docker.sock', flags: ['--providers.docker.prefix=traefik', '--providers.docker.exposedByDefault=false'] }),
      startDockerJunction({ endpoint: 'unix:///var/run/docker.sock', flags: ['--providers.docker.defaultRule=Host(`{{ normalize .Name }}.docker.test`)'] }),
    ])
    for (const result of started) if (result.status === 'fulfilled') await result.value.connected()
    ;[traefik, junction] = started.map((result) => {
      if (result.status === 'rejected') throw result.reason
      return result.value
    }) as [DockerJunction, DockerJunction]
  })

  afterAll(async () => {
    await Promise.all([traefik?.stop(), junction?.stop()])
    await containers?.removeAll()
  })

  it("routes containers labelled for Traefik, as Traefik's documentation labels them, with prefix: traefik", async () => {
    const junction = traefik
    const [whoami, notEnabled, ownPrefix] = [await freePort(), await freePort(), await freePort()]
    const routed = await containers.httpd({
      port: whoami,
      labels: {
        ...junction.runLabels,
        'traefik.enable': 'true',
        'traefik.http.routers.whoami.rule': 'Host(`whoami.docker.localhost`)',
        'traefik.http.routers.whoami.entrypoints': 'web',
        'traefik.http.services.whoami.loadbalancer.server.port': String(whoami),
      },
    })
    await containers.httpd({
      port: notEnabled,
      labels: { ...junction.runLabels, 'traefik.http.routers.hidden.rule': 'Host(`hidden.docker.localhost`)', 'traefik.http.services.hidden.loadbalancer.server.port': String(notEnabled) },
    })
    await containers.httpd({
      port: ownPrefix,
      labels: { ...routeLabels(junction, 'mine', 'mine.docker.localhost', ownPrefix), 'junction.enable': 'true' },
    })
    await eventually(async () => expect(await junction.reach('whoami.docker.localhost')).toBe(routed.name))
    // exposedByDefault: false leaves out a container without traefik.enable=true; junction.* labels mean nothing under prefix traefik.
    expect(await junction.reach('hidden.docker.localhost')).toBe(404)
    expect(await junction.reach('mine.docker.localhost')).toBe(404)
  })

  it('routes a valid container beside one whose labels are invalid, and logs the invalid one naming it and the label', async () => {
    const [good, bad] = [await freePort(), await freePort()]
    const valid = await containers.httpd({ port: good, labels: routeLabels(junction, 'good', 'good.docker.test', good) })
    const invalid = await containers.httpd({
      port: bad,
      labels: { ...routeLabels(junction, 'bad', 'bad.docker.test', bad), 'junction.http.routers.bad.priority': 'high' },
    })
    await eventually(async () => expect(await junction.reach('good.docker.test')).toBe(valid.name))
    const reported = await eventually(() => {
      const line = junction.process.logs.find((item) => item['level'] === 50 && String(item['msg']).includes(invalid.name))
      expect(line).toBeDefined()
      return line!
    })
    expect(reported['msg']).toBe(`container ${invalid.name}: label junction.http.routers.bad.priority: expected an integer, got "high"; the container is not routed`)
    expect(await junction.reach('bad.docker.test')).toBe(404)
  })

  it('gives a container without a rule label the default rule, from its name', async () => {
    const port = await freePort()
    const name = `junction-test-default_rule-${junction.run}`
    await containers.httpd({ name, port, labels: { ...junction.runLabels, 'junction.http.services.plain.loadbalancer.server.port': String(port) } })
    await eventually(async () => expect(await junction.reach(`junction-test-default-rule-${junction.run}.docker.test`)).toBe(name))
  })
})
