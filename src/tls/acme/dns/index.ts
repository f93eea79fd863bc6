import type { DnsProvider } from '../contracts.ts'
import { challtestsrvProvider } from './challtestsrv.ts'
import { execProvider } from './exec.ts'
import type { DnsEnv } from './settings.ts'

/** Every DNS-01 provider Junction has, by the name `dnsChallenge.provider` gives (lego's names). */
const providers: Readonly<Record<string, (env: DnsEnv) => DnsProvider>> = {
  exec: (env) => execProvider(env),
  challtestsrv: challtestsrvProvider,
}

/** The provider names, for messages and documentation. */
export const dnsProviderNames: readonly string[] = Object.freeze(Object.keys(providers))

/**
 * The DNS-01 provider `name`, set up from `env` (the process environment,
 * read as lego reads it). Called once per resolver when the static
 * configuration is checked, so a mistake is reported before any order.
 *
 * @throws Error with a message naming the provider and the setting, for an unknown provider or a missing or invalid setting.
 * @example
 * const provider = createDnsProvider('exec', process.env)
 */
export function createDnsProvider(name: string, env: DnsEnv): DnsProvider {
  const make = Object.hasOwn(providers, name) ? providers[name] : undefined
  if (make === undefined) throw new Error(`dns provider ${JSON.stringify(name)} is not supported (Junction has ${dnsProviderNames.join(', ')})`)
  return make(env)
}
