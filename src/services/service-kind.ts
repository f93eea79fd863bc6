import type { Handler } from '../core/context.ts'
import type { InstanceChannels } from '../core/instance.ts'
import type { ResolvedTransport } from './servers-transport.ts'

/** A live service of one generation; the builder keeps it across reloads while its definition is unchanged. */
export interface ServiceInstance {
  readonly handler: Handler
  /** Stops taking new work and closes keep-alive connections once in-flight exchanges end. */
  dispose(): Promise<void>
}

/** What the builder hands a service factory. */
export interface ServiceContext {
  /** Qualified name of the service being built. */
  readonly name: string
  /**
   * Another service of the same generation, built before this one.
   *
   * @throws Error naming it when it does not exist, is disabled or closes a cycle.
   */
  service(name: string): ServiceInstance
  /** The servers transport a load balancer names, or the default one when it names none. */
  transport(name: string | undefined): ResolvedTransport
  /** The instance this worker belongs to: health verdicts, shared counters and sequences. */
  readonly instance: InstanceChannels
}

/** One kind of HTTP service (`loadBalancer`, `weighted`, ...). */
export interface ServiceKind {
  /**
   * What a definition refers to: child services (built first) and a servers
   * transport. Their identities are part of the reuse key, so a service is
   * rebuilt when a child or its transport changes.
   */
  dependencies(config: Record<string, unknown>): { readonly services: readonly string[]; readonly transport?: string | undefined }
  /** Options Junction accepts but does not honour yet: reported on the service as a warning. */
  readonly notYet: readonly string[]
  create(config: Record<string, unknown>, context: ServiceContext): ServiceInstance
}
