import { onResponseHead, str, obj, type MiddlewareEntry } from '../../src/plugin.ts'

/**
 * `serverTiming`: counts the requests it sees (in state that survives
 * reloads) and tells the client, through the response seam, how long the
 * rest of the chain took to send its response head.
 */
export const serverTimingEntry: MiddlewareEntry = {
  type: 'serverTiming',
  schema: obj({ metric: str({ doc: 'the Server-Timing metric name' }) }),
  create(options, context) {
    const metric = typeof options['metric'] === 'string' ? options['metric'] : 'upstream'
    const counter = context.state(() => ({ requests: 0 }))
    return (next) => (req, res, ctx) => {
      counter.requests++
      const started = performance.now()
      ctx.response.intercept(
        onResponseHead((head) => {
          head.headers['server-timing'] = `${metric};dur=${(performance.now() - started).toFixed(1)}`
          head.headers['x-request-count'] = String(counter.requests)
        }),
      )
      return next(req, res, ctx)
    }
  },
}
