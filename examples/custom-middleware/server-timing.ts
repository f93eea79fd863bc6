import { onResponseHead, str, obj, type MiddlewareEntry } from '../../src/plugin.ts'

/**
 * `serverTiming`: counts the requests it sees, over every worker of the
 * instance (a sequence in the shared counters, which outlives reloads), and
 * tells the client, through the response seam, how long the rest of the
 * chain took to send its response head.
 */
export const serverTimingEntry: MiddlewareEntry = {
  type: 'serverTiming',
  schema: obj({ metric: str({ doc: 'the Server-Timing metric name' }) }),
  create(options, context) {
    const metric = typeof options['metric'] === 'string' ? options['metric'] : 'upstream'
    const local = { requests: 0 }
    const next = context.instance.shared.sequence(`requests:${context.name}`) ?? (() => local.requests++)
    return (chain) => (req, res, ctx) => {
      const count = next() + 1
      const started = performance.now()
      ctx.response.intercept(
        onResponseHead((head) => {
          head.headers['server-timing'] = `${metric};dur=${(performance.now() - started).toFixed(1)}`
          head.headers['x-request-count'] = String(count)
        }),
      )
      return chain(req, res, ctx)
    }
  },
}

/** What each worker thread imports: `workerModules` names this file. */
export const middlewares: readonly MiddlewareEntry[] = [serverTimingEntry]
