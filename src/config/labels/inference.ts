import { isPlainObject, setOwn } from '../plain-data.ts'
import { fillServers, type ServerContext } from './servers.ts'
import { someOf, type LabelProtocol, type WorkloadResult } from './workload.ts'

/**
 * Traefik's inference rules for label-configured workloads
 * (pkg/provider/configuration.go, pkg/provider/docker/config.go), written
 * once for every label provider:
 *
 * - TCP or UDP labels: with no service, one load balancer named after the
 *   workload; a TCP router without a rule is left out; TCP or UDP labels
 *   alone (no HTTP router, middleware or service) make no HTTP router;
 * - HTTP: with no service label, one load balancer named after the workload;
 *   with no router label and at most one service, one router named after
 *   the workload;
 * - a router without a rule gets the provider's default rule;
 * - a router without a service takes the only service the labels declare,
 *   and is left out when they declare several;
 * - every load balancer gets the workload's servers (see `servers.ts`).
 */

/**
 * Applies the inference rules to one workload's decoded labels, in place.
 * A server that cannot be made (no port to reach, a `url` beside a `port`)
 * means the workload is not routed: `errors` says why and `config` is empty.
 *
 * @example
 * inferWorkload({}, { workload, prefix: 'junction' }).config
 * // { http: { routers: { web: { rule: 'Host(`web`)', service: 'web' } }, services: { web: { loadBalancer: { servers: [{ url: 'http://10.0.0.5:80' }] } } } } }
 */
export function inferWorkload(config: Record<string, unknown>, context: ServerContext): WorkloadResult {
  const warnings: string[] = []
  let tcpOrUdp = false
  for (const protocol of ['tcp', 'udp'] as const) {
    const section = sectionOf(config, protocol)
    if (section === undefined || (isEmpty(section['routers']) && isEmpty(section['services']))) continue
    tcpOrUdp = true
    const error = buildServices(protocol, section, context)
    if (error !== undefined) return { config: {}, errors: [error], warnings }
    bindRouters(protocol, section, context, warnings)
  }
  let http = sectionOf(config, 'http')
  const httpDeclared = http !== undefined && !(isEmpty(http['routers']) && isEmpty(http['middlewares']) && isEmpty(http['services']))
  if (tcpOrUdp && !httpDeclared) return { config, errors: [], warnings }
  if (http === undefined) {
    http = {}
    config['http'] = http
  }
  const error = buildServices('http', http, context)
  if (error !== undefined) return { config: {}, errors: [error], warnings }
  if (isEmpty(http['routers']) && Object.keys(http['services'] as object).length <= 1) {
    http['routers'] = objectWith(context.workload.name, {})
  }
  bindRouters('http', http, context, warnings)
  return { config, errors: [], warnings }
}

function buildServices(protocol: LabelProtocol, section: Record<string, unknown>, context: ServerContext): string | undefined {
  if (isEmpty(section['services'])) section['services'] = objectWith(context.workload.name, { loadBalancer: {} })
  for (const [name, service] of Object.entries(section['services'] as Record<string, unknown>)) {
    if (!isPlainObject(service)) continue
    const error = fillServers(protocol, name, service, context)
    if (error !== undefined) return error
  }
  return undefined
}

function bindRouters(protocol: LabelProtocol, section: Record<string, unknown>, context: ServerContext, warnings: string[]): void {
  const routers = section['routers']
  if (!isPlainObject(routers)) return
  const services = Object.keys(section['services'] as object)
  for (const [name, router] of Object.entries(routers)) {
    if (!isPlainObject(router)) continue
    const label = `${context.prefix}.${protocol}.routers.${name}`
    const problem = ruleProblem(protocol, router, label, context) ?? serviceProblem(router, services, label)
    if (problem !== undefined) {
      warnings.push(`${protocol} router ${name}: ${problem}; router left out`)
      delete routers[name]
      continue
    }
    if (blank(router['service']) && services[0] !== undefined) router['service'] = services[0]
  }
}

function serviceProblem(router: Record<string, unknown>, services: readonly string[], label: string): string | undefined {
  if (!blank(router['service']) || services.length <= 1) return undefined
  return `no service label, and the labels declare several services (${someOf(services)}); set ${label}.service`
}

/** Gives an HTTP router without a rule the default one; says why a router cannot have a rule. */
function ruleProblem(protocol: LabelProtocol, router: Record<string, unknown>, label: string, context: ServerContext): string | undefined {
  if (protocol === 'udp' || !blank(router['rule'])) return undefined
  if (protocol === 'tcp') return `no rule (set ${label}.rule)`
  let rule: string
  try {
    rule = context.workload.defaultRule()
  } catch (error) {
    return `default rule: ${(error as Error).message}`
  }
  if (rule.trim() === '') return 'the default rule is empty'
  router['rule'] = rule
  return undefined
}

function sectionOf(config: Record<string, unknown>, protocol: LabelProtocol): Record<string, unknown> | undefined {
  const section = config[protocol]
  return isPlainObject(section) ? section : undefined
}

function isEmpty(value: unknown): boolean {
  return !isPlainObject(value) || Object.keys(value).length === 0
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || String(value).trim() === ''
}

function objectWith(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  setOwn(object, key, value)
  return object
}
