/**
 * The smallest useful dynamic file: every request on every entry point goes
 * to one service with one server.
 */
export function singleRouteYaml(serverUrl: string): string {
  return [
    'http:',
    '  routers:',
    '    all:',
    '      rule: "PathPrefix(`/`)"',
    '      service: app',
    '  services:',
    '    app:',
    '      loadBalancer:',
    '        servers:',
    `          - url: "${serverUrl}"`,
    '',
  ].join('\n')
}
