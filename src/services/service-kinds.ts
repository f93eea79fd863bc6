import type { LoadBalancer, WeightedService } from '../config/dynamic.ts'
import { createLoadBalancer } from './load-balancer.ts'
import type { ServiceKind } from './service-kind.ts'
import { createWeighted } from './weighted.ts'

const loadBalancer: ServiceKind = {
  dependencies: (config) => ({ services: [], transport: (config as LoadBalancer).serversTransport }),
  // Each arrives with the balancing issue (health checks, sticky sessions, flushing).
  notYet: ['sticky', 'healthCheck', 'passiveHealthCheck', 'responseForwarding'],
  create: (config, context) => {
    const balancer = config as LoadBalancer
    return createLoadBalancer(context.name, balancer, context.transport(balancer.serversTransport), context.instance)
  },
}

const weighted: ServiceKind = {
  dependencies: (config) => ({ services: ((config as WeightedService).services ?? []).map((entry) => entry.name ?? '') }),
  notYet: ['sticky', 'healthCheck'],
  create: (config, context) => createWeighted(config as WeightedService, (name) => context.service(name), context.instance.shared.sequence(`wrr:${context.name}`)),
}

/**
 * Every HTTP service kind Junction serves, by configuration key. `mirroring`
 * and `failover` arrive with the balancing issue; until then a service of
 * those kinds is disabled with a message saying so.
 */
export const serviceKinds: Readonly<Record<string, ServiceKind>> = { loadBalancer, weighted }
