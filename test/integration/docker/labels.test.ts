import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeDocker, freePort, sharedContainers, type TestContainers } from '../../support/docker.ts'
import { routeLabels, startDockerJunction, type DockerJunction } from '../../support/docker-junction.ts'
import { eventually } from '../../support/eventually.ts'

describeDocker('docker provider: labels', () => {
  const junctions: DockerJunction[] = []
  let containers: TestContainers

  beforeAll(() => {
    containers = sharedContainers()
  })

  afterAll(async () => {
    await Promise.all(junctions.map((junction) => junction.stop()))
    await containers?.removeAll()
  })

  async function start(flags: string[] = []): Promise<DockerJunction> {
    const junction = await startDockerJunction({ endpoint: 'unix:///var/run/docker.sock', flags })
    junctions.push(junction)
    await junction.connected()
    return junction
  }

  it("routes containers labelled for Traefik, as Traefik's documentation labels them, with prefix: traefik", async () => {
    const junction = await start(['--providers.docker.prefix=traefik', '--providers.docker.exposedByDefault=false'])
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
    const junction = await start()
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
    const junction = await start(['--providers.docker.defaultRule=Host(`{{ normalize .Name }}.docker.test`)'])
    const port = await freePort()
    const name = `junction-test-default_rule-${junction.run}`
    await containers.httpd({ name, port, labels: { ...junction.runLabels, 'junction.http.services.plain.loadbalancer.server.port': String(port) } })
    await eventually(async () => expect(await junction.reach(`junction-test-default-rule-${junction.run}.docker.test`)).toBe(name))
  })
})
