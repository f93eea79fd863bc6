import { compileTemplate, type RenderLimits } from '../../src/provider-plugin.ts'

/**
 * `providers.docker.defaultRule`: a Go template (Traefik's language) that
 * gives a router without a `rule` label its rule, from the container's
 * name and labels. Compiled once, at start; a template that does not
 * compile is a static configuration problem.
 */

/** What the template sees, as in Traefik: `.Name` (the service name), `.ContainerName`, `.Labels`. */
export interface DefaultRuleData {
  readonly Name: string
  readonly ContainerName: string
  readonly Labels: Readonly<Record<string, string>>
}

/** Traefik's default: the container's name, normalised, as a host. */
export const defaultRuleTemplate = 'Host(`{{ normalize .Name }}`)'

/**
 * A rule is one line of configuration: a template that loops or grows
 * without bound is cut off long before it could slow a rebuild.
 */
const limits: RenderLimits = { maxOutputBytes: 64 * 1024, maxSteps: 100_000 }

/**
 * Compiles `text` with Go's builtins, the Sprig functions and `normalize`
 * (Traefik's set); the function it returns renders one container's rule.
 *
 * @throws TemplateError (`JCT_ERR_TEMPLATE`), `defaultRule:line:col: reason`, when the template does not compile; the renderer throws one when a render fails.
 * @example
 * compileDefaultRule(defaultRuleTemplate)({ Name: 'web_1', ContainerName: 'web_1', Labels: {} }) // 'Host(`web-1`)'
 */
export function compileDefaultRule(text: string): (data: DefaultRuleData) => string {
  const template = compileTemplate(text, { name: 'defaultRule' })
  return (data) => template.render(data, limits)
}
