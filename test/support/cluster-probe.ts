/**
 * A test-only middleware type that workers import (`workerModules`), to make
 * the instance's channels visible from outside: which worker answered, a
 * limit on shared counters, a published value, a crash on request.
 */
import { answered, int, obj, str, type MiddlewareEntry } from '../../src/plugin.ts'

const schema = obj({
  action: str({ enum: ['worker', 'limit', 'value', 'crash'] }),
  key: str(),
  amount: int({ min: 0 }),
})

export const middlewares: readonly MiddlewareEntry[] = [
  {
    type: 'probe',
    schema,
    create(options, context) {
      const { worker, shared, value } = context.instance
      const key = String(options['key'] ?? 'probe')
      const amount = Number(options['amount'] ?? 0)
      switch (options['action']) {
        case 'worker':
          // Answers which worker took the request.
          return () => async (_req, res, ctx) => {
            res.writeHead(200, { 'x-worker': String(worker) }).end(String(worker))
            return answered(res, ctx, 1)
          }
        case 'limit':
          // An in-flight limit on a counter every worker shares: over `amount`, 429.
          return (next) => async (req, res, ctx) => {
            res.setHeader('x-worker', String(worker))
            const now = shared.add(key, 1)
            if (now === undefined || now > amount) {
              shared.add(key, -1)
              res.writeHead(429).end()
              return answered(res, ctx)
            }
            try {
              return await next(req, res, ctx)
            } finally {
              shared.add(key, -1)
            }
          }
        case 'value':
          // Answers the value the control plane published under `key`.
          return () => async (_req, res, ctx) => {
            const found = value(key)
            res.writeHead(found === undefined ? 404 : 200, { 'x-worker': String(worker) }).end(found ?? '')
            return answered(res, ctx, found?.length ?? 0)
          }
        default:
          // Answers, then throws outside any handler: the worker thread dies of an uncaught exception.
          return () => async (_req, res, ctx) => {
            res.writeHead(200, { 'x-worker': String(worker), connection: 'close' }).end()
            setImmediate(() => {
              throw new Error(`probe: worker ${worker} crashes on request`)
            })
            return answered(res, ctx)
          }
      }
    },
  },
]
