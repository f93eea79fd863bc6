/**
 * Configuration files for the daemons and for Junction, as pure functions of
 * ports and paths so that the bench can generate them into a temporary folder
 * and unit tests can read them.
 */

/** The response bodies the backend serves, by request path. */
export const bodies = {
  small: 'Hello, World!', // 13 bytes
  '16k': 'x'.repeat(16 * 1024),
} as const

/** A response size the bench measures; also the request path (`/small`, `/16k`). */
export type Size = keyof typeof bodies

// Shared by both nginx roles: one worker, no logs, and keep-alive without the
// 1,000-request cap of nginx's default, which would reconnect mid-run.
function nginxPreamble(prefix: string): string {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log error;
events { worker_connections 4096; }
`
}

function nginxHttpDefaults(prefix: string): string {
  return `  access_log off;
  server_tokens off;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  client_body_temp_path ${prefix}/client-body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
`
}

/** argv for an nginx whose files all live under `prefix`; -e keeps it off /var/log even before it reads the config. */
export function nginxArgs(prefix: string): string[] {
  return ['-p', prefix, '-c', `${prefix}/nginx.conf`, '-e', `${prefix}/error.log`]
}

/** nginx as the backend: fixed files from `root`, opened once and sent with sendfile. */
export function nginxBackendConfig(o: { port: number; prefix: string; root: string }): string {
  return `${nginxPreamble(o.prefix)}http {
${nginxHttpDefaults(o.prefix)}  default_type text/plain;
  etag off;
  sendfile on;
  open_file_cache max=16 inactive=600s;
  open_file_cache_valid 600s;
  server {
    listen 127.0.0.1:${o.port};
    root ${o.root};
  }
}
`
}

/** nginx as a peer proxy: HTTP/1.1 upstream with a keep-alive pool. */
export function nginxProxyConfig(o: { port: number; prefix: string; backendPort: number }): string {
  return `${nginxPreamble(o.prefix)}http {
${nginxHttpDefaults(o.prefix)}  upstream backend {
    server 127.0.0.1:${o.backendPort};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${o.port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`
}

/** HAProxy as a peer proxy: one thread, HTTP mode, server connections kept alive and shared. */
export function haproxyConfig(o: { port: number; backendPort: number }): string {
  return `global
  nbthread 1
  maxconn 4000

defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s

frontend web
  bind 127.0.0.1:${o.port}
  default_backend backend

backend backend
  server s1 127.0.0.1:${o.backendPort}
`
}

/** Junction's static configuration: one entry point, the file provider watching `directory`. */
export function junctionStaticConfig(o: { port: number; directory: string }): string {
  return `entryPoints:
  web:
    address: "127.0.0.1:${o.port}"
providers:
  providersThrottleDuration: 0s
  file:
    directory: ${JSON.stringify(o.directory)}
    watch: true
log:
  level: ERROR
`
}

/** The rule of {@link singleRouteDynamicConfig}'s router unless told otherwise: every path. */
export const catchAllRule = 'PathPrefix(`/`)'

/**
 * A regexp rule that every request of the side-by-side runs must go through
 * and match: one alternative per path the backend serves, anchored, so no
 * prefix or literal shortcut can answer for the regexp.
 */
export const sizesRegexpRule = `PathRegexp(\`^/(${Object.keys(bodies).join('|')})$\`)`

/** The response header that version `version` of a reload-scenario file adds: a name of its own per version. */
export function versionHeader(version: number): { readonly name: string; readonly value: string } {
  return { name: `X-Bench-Version-${version}`, value: String(version) }
}

/** The `middlewares` section of a versioned file: one `headers` middleware, `version`, adding {@link versionHeader}. */
function versionMiddleware(version: number): string {
  const header = versionHeader(version)
  return `  middlewares:\n    version:\n      headers:\n        customResponseHeaders:\n          ${header.name}: ${JSON.stringify(header.value)}\n`
}

/**
 * A dynamic file with one router (by default catch-all) to the backend; with
 * a `version`, the router goes through a middleware adding that version's
 * response header.
 */
export function singleRouteDynamicConfig(backendUrl: string, rule: string = catchAllRule, version?: number): string {
  const middlewares = version === undefined ? '' : '      middlewares: ["version"]\n'
  return `http:
  routers:
    r:
      rule: ${JSON.stringify(rule)}
${middlewares}      service: s
${version === undefined ? '' : versionMiddleware(version)}  services:
    s:
      loadBalancer:
        servers:
          - url: ${JSON.stringify(backendUrl)}
`
}

/** The Host header that reaches router `i` of {@link hostRoutersDynamicConfig}. */
export function routerHost(i: number): string {
  return `h${i}.test`
}

/**
 * A dynamic file with `count` routers `Host(h<i>.test)`, each with its own
 * service to the backend; with a `version`, the last router goes through a
 * middleware adding that version's response header.
 */
export function hostRoutersDynamicConfig(count: number, backendUrl: string, version?: number): string {
  const url = JSON.stringify(backendUrl)
  const routers: string[] = []
  const services: string[] = []
  for (let i = 0; i < count; i++) {
    const middlewares = version !== undefined && i === count - 1 ? '      middlewares: ["version"]\n' : ''
    routers.push(`    r${i}:\n      rule: "Host(\`${routerHost(i)}\`)"\n${middlewares}      service: s${i}\n`)
    services.push(`    s${i}:\n      loadBalancer:\n        servers:\n          - url: ${url}\n`)
  }
  const middlewares = version === undefined ? '' : versionMiddleware(version)
  return `http:\n  routers:\n${routers.join('')}${middlewares}  services:\n${services.join('')}`
}
