/**
 * Traefik's `Normalize` (pkg/provider/configuration.go): every run of
 * characters that are neither letters nor digits becomes one `-`, and the
 * ends are trimmed. Discovery providers name their default router and
 * service with it (`/web_1` → `web-1`), and the default rule template
 * offers it as `normalize`. Letters and digits are Unicode's, as Go's
 * `unicode.IsLetter` and `unicode.IsNumber` read them.
 *
 * @example
 * normalizeName('/my_app.v2') // 'my-app-v2'
 * normalizeName('web_myproject') // 'web-myproject'
 */
export function normalizeName(name: string): string {
  return name.match(/[\p{L}\p{N}]+/gu)?.join('-') ?? ''
}
